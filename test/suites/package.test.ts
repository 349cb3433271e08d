/** The published shape: `npm run build` emits ESM and its declarations, one module per entry. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Inside the project, so that the build resolves its dependencies as an installed package would.
mkdirSync(join('node_modules', '.cache'), { recursive: true })
const outDir = mkdtempSync(join('node_modules', '.cache', 'fetchkind-build-'))

beforeAll(() => {
  execFileSync(join('node_modules', '.bin', 'tsup'), ['--out-dir', outDir, '--silent'], { stdio: 'pipe' })
}, 60_000)

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true })
})

/** A declaration each entry's types must hold. */
const DECLARED: Record<string, string> = {
  'index.d.ts': 'type Result<T = unknown>',
  'testing.d.ts': 'interface RouteTransport',
  'transport.d.ts': 'type Transport =',
  'stores.d.ts': 'interface CacheStore',
  'diagnostics.d.ts': 'interface CallStartEvent',
}

describe('the build', () => {
  it('emits the core as ESM only, with its runtime exports', async () => {
    const esm = await import(pathToFileURL(join(process.cwd(), outDir, 'index.js')).href)
    expect(Object.keys(esm).sort()).toEqual([
      'BodyTooLargeError',
      'HttpError',
      'STATUS_NAMES',
      'byOriginAndCredential',
      'createClient',
      'deadlineFrom',
      'deadlineLeft',
      'deadlineMiddleware',
      'fromResponse',
      'isHttpStatus',
      'isKind',
      'isSuccess',
      'match',
      'parseRetryAfter',
      'request',
      'statusName',
      'unwrap',
      'unwrapOr',
      'withDeadline',
    ])
    // No second format: one HttpError class and one default client in a process.
    expect(readdirSync(outDir).filter((file) => /\.c[jt]s$/.test(file) || file.endsWith('.d.cts'))).toEqual(
      [],
    )
  })

  it('emits the subpaths for transport and store authors apart from the root', async () => {
    const load = (entry: string) => import(pathToFileURL(join(process.cwd(), outDir, `${entry}.js`)).href)
    expect(Object.keys(await load('transport')).sort()).toEqual([
      'TransportUnavailableError',
      'fetchTransport',
    ])
    expect(Object.keys(await load('stores')).sort()).toEqual(['MemoryPolicyStore', 'MemoryStore'])
    // Types only: nothing to run, nothing imported.
    const diagnostics = readFileSync(join(outDir, 'diagnostics.js'), 'utf8')
    expect(diagnostics.replace(/\/\/# sourceMappingURL=.*/g, '').trim()).toBe('')
  })

  it('exports at most 70 names from the root, each a caller needs', () => {
    // Types and values alike, as the declarations name them (issue 36: it was 147).
    const declarations = readFileSync(join(outDir, 'index.d.ts'), 'utf8')
    const names = [...declarations.matchAll(/^export \{([^}]*)\}/gm)].flatMap(([, list]) =>
      (list as string).split(',').map((name) =>
        name
          .trim()
          .replace(/^type /, '')
          .split(' as ')
          .pop(),
      ),
    )
    expect(names).toContain('createClient')
    expect(names).toContain('Result')
    expect(names).not.toContain('Transport')
    expect(names).not.toContain('CacheStore')
    expect(names).not.toContain('CallStartEvent')
    expect(names.length).toBeLessThanOrEqual(70)
  })

  it('emits fetchkind/testing apart from the core: results of every kind and a route table', async () => {
    const testing = await import(pathToFileURL(join(process.cwd(), outDir, 'testing.js')).href)
    expect(Object.keys(testing).sort()).toEqual(['results', 'routeTransport', 'setDefaultTransport'])
    expect(Object.keys(testing.results).sort()).toEqual([
      'aborted',
      'clientError',
      'hookError',
      'informational',
      'invalidResponse',
      'networkError',
      'notModified',
      'redirect',
      'refused',
      'serverError',
      'success',
      'timeout',
    ])
    expect(readFileSync(join(outDir, 'index.js'), 'utf8')).not.toContain('routeTransport')
  })

  it('emits fetchkind/undici apart from the core', async () => {
    const esm = await import(pathToFileURL(join(process.cwd(), outDir, 'undici.js')).href)
    expect(Object.keys(esm)).toEqual(['undiciTransport'])
    // The core must run where undici does not: it never imports it.
    expect(readFileSync(join(outDir, 'index.js'), 'utf8')).not.toMatch(/from ['"]undici['"]/)
    // Nor OpenTelemetry: fetchkind/otel listens from outside.
    expect(readFileSync(join(outDir, 'index.js'), 'utf8')).not.toMatch(/@opentelemetry/)
    const otel = await import(pathToFileURL(join(process.cwd(), outDir, 'otel.js')).href)
    expect(Object.keys(otel).sort()).toEqual([
      'DEFAULT_SENSITIVE_QUERY_PARAMETERS',
      'POLICY_METRICS',
      'instrument',
    ])
    // The conventions' constants are bundled: nothing to install beside @opentelemetry/api.
    expect(readFileSync(join(outDir, 'otel.js'), 'utf8')).not.toMatch(
      /from ['"]@opentelemetry\/semantic-conventions/,
    )
    // fetchkind/redis takes your Redis client: it imports none.
    const redis = await import(pathToFileURL(join(process.cwd(), outDir, 'redis.js')).href)
    expect(Object.keys(redis).sort()).toEqual(['redisCacheStore', 'redisCommands', 'redisPolicyStore'])
    expect(readFileSync(join(outDir, 'redis.js'), 'utf8')).not.toMatch(/from ['"](redis|ioredis)['"]/)
  })

  it('emits declarations for every entry', () => {
    for (const file of ['index.d.ts', 'testing.d.ts', 'transport.d.ts', 'stores.d.ts', 'diagnostics.d.ts']) {
      expect(existsSync(join(outDir, file))).toBe(true)
      // The types the entries share sit in a chunk the entry imports: read it with the entry.
      const entry = readFileSync(join(outDir, file), 'utf8')
      const chunks = [...entry.matchAll(/from '\.\/([^']+)'/g)].map(([, chunk]) =>
        readFileSync(join(outDir, (chunk as string).replace(/\.(c?)js$/, '.d.$1ts')), 'utf8'),
      )
      expect([entry, ...chunks].join('\n')).toContain(DECLARED[file])
    }
  })

  it('points the exports map at what it emits', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    for (const entry of [
      'index',
      'transport',
      'stores',
      'diagnostics',
      'undici',
      'otel',
      'redis',
      'testing',
    ]) {
      expect(pkg.exports[entry === 'index' ? '.' : `./${entry}`]).toEqual({
        types: `./dist/${entry}.d.ts`,
        default: `./dist/${entry}.js`,
      })
    }
    expect(pkg.sideEffects).toBe(false)
  })
})
