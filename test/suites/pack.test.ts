/**
 * The published package, as a user gets it: packed, installed into a fresh project, and used from
 * ESM, CommonJS, TypeScript and the command line. Runs on whichever Node runs the suite (24, and
 * 22 in .ci/run).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')
const work = mkdtempSync(join(tmpdir(), 'fetchkind-pack-'))
const consumer = join(work, 'consumer')
let files: string[] = []

/** A script that starts a local origin, calls it through fetchkind, and prints what it got. */
const call = (load: string) => `${load}
const http = require('node:http')
const server = http.createServer((request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'))
server.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port
  const viaFetch = await createClient({ retry: false }).get(base + '/')
  const viaUndici = await createClient({ transport: undiciTransport() }).get(base + '/')
  console.log(JSON.stringify([viaFetch.kind, viaFetch.data, viaUndici.kind]))
  server.close()
  process.exit(0)
})
`

beforeAll(() => {
  execFileSync(join(root, 'node_modules', '.bin', 'tsup'), ['--silent'], { cwd: root, stdio: 'pipe' })
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
    }),
  ) as { filename: string; files: { path: string }[] }[]
  files = packed[0]?.files.map((file) => file.path).sort() ?? []
  mkdirSync(consumer)
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }),
  )
  execFileSync(
    'npm',
    [
      'install',
      join(work, packed[0]?.filename ?? ''),
      // As any TypeScript project on Node has: undici's own types need it.
      '@types/node@24',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--ignore-scripts',
    ],
    { cwd: consumer, stdio: 'pipe' },
  )
}, 180_000)

afterAll(() => {
  rmSync(work, { recursive: true, force: true })
})

/** What tsc says of the TypeScript project in `project`: '' when it compiles. */
function compileErrors(project: string): string {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8', stdio: 'pipe' })
    return ''
  } catch (error) {
    return String((error as { stdout?: string }).stdout)
  }
}

function node(file: string, args: string[] = []): string {
  return execFileSync(process.execPath, [file, ...args], { cwd: consumer, encoding: 'utf8' }).trim()
}

describe('the packed package', () => {
  it('ships dist, the docs a user reads (README, docs/, SECURITY, the migration scripts), and package.json', () => {
    const outside = files.filter((path) => !/^(dist|docs|examples\/migration)\//.test(path))
    expect(outside).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'SECURITY.md', 'package.json'])
    expect(files).toContain('docs/migration.md')
    expect(files).toContain('dist/index.js')
    expect(files).toContain('dist/undici.d.ts')
    expect(files).toContain('dist/testing.js')
    expect(files).toContain('dist/cli.js')
    // ESM only: no CommonJS build beside it.
    expect(files.filter((path) => /\.c[jt]s$/.test(path))).toEqual([])
  })

  it('works from ESM', () => {
    writeFileSync(
      join(consumer, 'esm.mjs'),
      call(`import { createRequire } from 'node:module'
import { createClient } from 'fetchkind'
import { undiciTransport } from 'fetchkind/undici'
const require = createRequire(import.meta.url)`),
    )
    expect(node('esm.mjs')).toBe('["success",{"ok":true},"success"]')
  })

  it('works from CommonJS, through require(esm), with no warning', () => {
    writeFileSync(
      join(consumer, 'cjs.cjs'),
      call(`const { createClient } = require('fetchkind')
const { undiciTransport } = require('fetchkind/undici')`),
    )
    const run = spawnSync(process.execPath, ['cjs.cjs'], { cwd: consumer, encoding: 'utf8' })
    expect(run.stdout.trim()).toBe('["success",{"ok":true},"success"]')
    expect(run.stderr).toBe('')
  })

  it('is one module to require and import alike: one HttpError class, not two', () => {
    writeFileSync(
      join(consumer, 'same.cjs'),
      `const required = require('fetchkind')
import('fetchkind').then((imported) => console.log(imported.HttpError === required.HttpError))`,
    )
    expect(node('same.cjs')).toBe('true')
  })

  it('resolves its types from ESM and CommonJS TypeScript', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['typed.mts', 'typed.cts'],
      }),
    )
    const typed = (load: string) => `${load}
const client = createClient({ transport: undiciTransport() })
export async function name(): Promise<string> {
  const result = await client.get<{ name: string }>('http://example.test/')
  if (result.kind === 'success') return result.data.name
  // @ts-expect-error a client error is never a 503
  if (result.kind === 'client-error' && result.status === 503) return ''
  return match(result, { '4xx': (r) => r.statusText, _: (r) => r.kind })
}
`
    // In a .cts file the same import is a require() of the ESM build, which TypeScript's nodenext allows.
    const load =
      "import { createClient, match } from 'fetchkind'\nimport { undiciTransport } from 'fetchkind/undici'"
    writeFileSync(join(consumer, 'typed.mts'), typed(load))
    writeFileSync(join(consumer, 'typed.cts'), typed(load))
    expect(compileErrors(consumer)).toBe('')
    // tsc over the package's declarations and @types/node takes seconds, more on a busy machine.
  }, 60_000)

  it('compiles in a strict backend project: no DOM lib, exactOptionalPropertyTypes, no skipLibCheck', () => {
    // Issue 38: the declarations needed the DOM lib (BodyInit, HeadersInit, RequestInfo), and
    // optional options refused the undefined the runtime takes.
    const strict = join(consumer, 'strict')
    mkdirSync(strict, { recursive: true })
    writeFileSync(
      join(strict, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2023',
          lib: ['es2023'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['service.mts'],
      }),
    )
    writeFileSync(
      join(strict, 'service.mts'),
      `import { createClient, match, request, unwrap } from 'fetchkind'
import type { CallStartEvent } from 'fetchkind/diagnostics'
import { MemoryStore } from 'fetchkind/stores'
import { results, routeTransport, setDefaultTransport } from 'fetchkind/testing'
import { fetchTransport, TransportUnavailableError } from 'fetchkind/transport'
import { undiciTransport } from 'fetchkind/undici'

declare const config: { timeout?: number; retries?: number }
const client = createClient({
  transport: undiciTransport(),
  timeout: config.timeout,
  retry: config.retries,
  cache: { store: new MemoryStore() },
  hooks: { beforeRequest: (r) => r.headers.set('x-id', '1') },
})
export async function name(): Promise<string> {
  const result = await client.get<{ name: string }>('http://example.test/', { searchParams: { tag: ['a', 'b'] } })
  if (result.kind === 'success') return result.data.name
  return match(result, { '4xx': (r) => r.statusText, _: (r) => r.kind })
}
export const used = [unwrap, request, results, routeTransport, setDefaultTransport, fetchTransport, TransportUnavailableError]
export type Started = CallStartEvent
export const asFetch: typeof fetch = client.toFetch()
`,
    )
    expect(compileErrors(strict)).toBe('')
  }, 60_000)

  it('every link in its Markdown resolves inside the installed package (issue 40: 14 did not)', () => {
    const installed = join(consumer, 'node_modules', 'fetchkind')
    const dead: string[] = []
    for (const page of files.filter((path) => path.endsWith('.md'))) {
      const text = readFileSync(join(installed, page), 'utf8')
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const path = (target as string).split('#')[0] as string
        if (path === '' || /^[a-z]+:/i.test(path)) continue
        if (!existsSync(join(installed, dirname(page), path))) dead.push(`${page} → ${target}`)
      }
    }
    expect(dead).toEqual([])
  })

  it('installs the fetchkind command', () => {
    expect(node(join('node_modules', 'fetchkind', 'dist', 'cli.js'), ['--version'])).toMatch(
      /^\d+\.\d+\.\d+$/,
    )
  })
})
