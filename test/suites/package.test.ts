/** The published shape: `npm run build` emits ESM, CJS and declarations with the same exports. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
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

describe('the build', () => {
  it('emits ESM and CJS with the same runtime exports', async () => {
    const esm = await import(pathToFileURL(join(process.cwd(), outDir, 'index.js')).href)
    const cjs = createRequire(import.meta.url)(join(process.cwd(), outDir, 'index.cjs'))
    const expected = [
      'BodyTooLargeError',
      'HttpError',
      'MemoryRetryStore',
      'MemoryStore',
      'STATUS_NAMES',
      'createClient',
      'fetchTransport',
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
    ]
    expect(Object.keys(esm).sort()).toEqual(expected)
    expect(Object.keys(cjs).sort()).toEqual(expected)
    expect(typeof cjs.createClient).toBe('function')
  })

  it('emits fetchkind/undici apart from the core, in both formats', async () => {
    const esm = await import(pathToFileURL(join(process.cwd(), outDir, 'undici.js')).href)
    const cjs = createRequire(import.meta.url)(join(process.cwd(), outDir, 'undici.cjs'))
    expect(Object.keys(esm)).toEqual(['undiciTransport'])
    expect(Object.keys(cjs)).toEqual(['undiciTransport'])
    // The core must run where undici does not: it never imports it.
    expect(readFileSync(join(outDir, 'index.js'), 'utf8')).not.toMatch(/from ['"]undici['"]/)
    // Nor OpenTelemetry: fetchkind/otel listens from outside.
    expect(readFileSync(join(outDir, 'index.js'), 'utf8')).not.toMatch(/@opentelemetry/)
    const otel = await import(pathToFileURL(join(process.cwd(), outDir, 'otel.js')).href)
    expect(Object.keys(otel)).toEqual(['instrument'])
    // fetchkind/redis takes your Redis client: it imports none.
    const redis = await import(pathToFileURL(join(process.cwd(), outDir, 'redis.js')).href)
    expect(Object.keys(redis).sort()).toEqual(['redisCacheStore', 'redisRetryStore'])
    expect(readFileSync(join(outDir, 'redis.js'), 'utf8')).not.toMatch(/from ['"](redis|ioredis)['"]/)
  })

  it('emits declarations for both', () => {
    for (const file of ['index.d.ts', 'index.d.cts']) {
      expect(existsSync(join(outDir, file))).toBe(true)
      // The types the entries share sit in a chunk the entry imports: read it with the entry.
      const entry = readFileSync(join(outDir, file), 'utf8')
      const chunks = [...entry.matchAll(/from '\.\/([^']+)'/g)].map(([, chunk]) =>
        readFileSync(join(outDir, (chunk as string).replace(/\.(c?)js$/, '.d.$1ts')), 'utf8'),
      )
      expect([entry, ...chunks].join('\n')).toContain('type Result<T = unknown>')
      expect(entry).toMatch(/export (type )?\{[^}]*\bResult\b/)
    }
  })

  it('points the exports map at what it emits', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(pkg.exports['.'].import).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' })
    expect(pkg.exports['.'].require).toEqual({ types: './dist/index.d.cts', default: './dist/index.cjs' })
    expect(pkg.exports['./undici'].import).toEqual({
      types: './dist/undici.d.ts',
      default: './dist/undici.js',
    })
    expect(pkg.sideEffects).toBe(false)
  })
})
