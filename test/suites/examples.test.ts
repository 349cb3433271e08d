/** The examples run as a user would run them: against the built package, each on its own. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ProxyServer, requireTinyproxy, TINYPROXY } from '../support/proxy-server.ts'
import { REDIS_SERVER, RedisServer, requireRedisServer } from '../support/redis-server.ts'

requireRedisServer('test/suites/examples.test.ts (many-replicas.ts)')
requireTinyproxy('test/suites/examples.test.ts (real-networks.ts)')

const root = resolve(import.meta.dirname, '..', '..')

beforeAll(() => {
  // `import 'fetchkind'` inside this package resolves to its own dist/ through the exports map.
  execFileSync(join(root, 'node_modules', '.bin', 'tsup'), ['--silent'], { cwd: root, stdio: 'pipe' })
}, 60_000)

function run(example: string, env: Record<string, string> = {}): string {
  return execFileSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', join(root, 'examples', example)],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    },
  )
}

describe('examples/', () => {
  it('replace-fetch.ts', () => {
    expect(run('replace-fetch.ts')).toBe("{ id: 42, name: 'Ada' }\nnull\n")
  })

  it('retry-policies.ts', () => {
    const output = run('retry-policies.ts')
    expect(output).toContain('attempt 1 got 503; waiting 0 ms (retry-after)')
    expect(output).toContain('success [ 503, 503, 200 ]')
    expect(output.trim().split('\n').at(-1)).toBe('success')
  })

  it('traced-service.ts: one span tree, fetchkind making the attempt spans', () => {
    const output = run('traced-service.ts')
    expect(output.split('\n').filter((line) => line.startsWith('span '))).toEqual([
      'span GET /users/:id SERVER (service)',
      'span   fetchkind GET INTERNAL (fetchkind) status 200',
      'span     GET CLIENT (fetchkind) status 503',
      'span     GET CLIENT (fetchkind) status 200, resend 1',
    ])
    expect(output).toMatch(/upstream got traceparent 00-[0-9a-f]{32}-[0-9a-f]{16}-01/)
    expect(output).toContain("service answered 200 { id: 42, name: 'Ada' }")
  })

  it('traced-service.ts --with-undici-instrumentation: the same tree, the attempts undici spans', () => {
    const output = execFileSync(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        join(root, 'examples', 'traced-service.ts'),
        '--with-undici-instrumentation',
      ],
      { cwd: root, encoding: 'utf8' },
    )
    const spans = output.split('\n').filter((line) => line.startsWith('span '))
    expect(spans).toEqual([
      'span GET /users/:id SERVER (service)',
      'span   fetchkind GET INTERNAL (fetchkind) status 200',
      'span     GET CLIENT (@opentelemetry/instrumentation-undici) status 503',
      'span     GET CLIENT (@opentelemetry/instrumentation-undici) status 200',
    ])
    // One traceparent per attempt, undici's: no second one from fetchkind.
    const traceparents = output.split('\n').filter((line) => line.startsWith('upstream got traceparent'))
    expect(traceparents).toHaveLength(2)
    for (const line of traceparents)
      expect(line).toMatch(/^upstream got traceparent 00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
  })

  it.each(['fetch', 'ky', 'got', 'ofetch', 'axios', 'fetchkind'])(
    'migration/%s.ts makes the same three calls',
    (client) => {
      expect(run(`migration/${client}.ts`)).toBe('user Ada\nmissing null\norder o-1\nhealthy true\n')
    },
  )

  it('the migration examples run against the majors docs/migration.md names', () => {
    const major = (name: string) =>
      Number(
        JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version.split(
          '.',
        )[0],
      )
    expect({ ky: major('ky'), got: major('got'), ofetch: major('ofetch'), axios: major('axios') }).toEqual({
      ky: 2,
      got: 16,
      ofetch: 1,
      axios: 1,
    })
  })

  it('migration/pitfalls.ts shows what differs from ky, got, ofetch and axios', () => {
    expect(run('migration/pitfalls.ts')).toBe(
      [
        'leading slash: /users | without: /v1/users',
        'shorthands: success',
        '404 without throwOn: client-error false',
        '404 with throwOn: client-error',
        '',
      ].join('\n'),
    )
  })

  it.skipIf(!TINYPROXY)(
    'real-networks.ts: an mTLS HTTP/2 upstream, directly and through a real proxy',
    async () => {
      const proxy = await ProxyServer.start()
      try {
        const lines = run('real-networks.ts', { PROXY_URL: proxy.url() }).trim().split('\n')
        expect(lines.slice(0, 2)).toEqual([
          'direct: fetchkind client over HTTP/2.0 (h2)',
          'through the proxy: fetchkind client over HTTP/2.0',
        ])
        // TLS 1.3 refuses a missing client certificate after the handshake: read as the alert when
        // it arrives before the close, as the close otherwise (README, Real networks).
        expect(lines[2]).toMatch(/^without a client certificate: (ERR_TLS_CERT_REQUIRED|UND_ERR_SOCKET)$/)
      } finally {
        await proxy.stop()
      }
    },
    // Two processes, certificates made by openssl, and a proxy started: seconds on a busy machine.
    30_000,
  )

  it('match-and-types.ts', () => {
    expect(run('match-and-types.ts')).toBe(
      '/orders/1 → order 1: 12.5\n/orders/2 → no such order\n/orders/busy → slow down for 120 s\ntotal 12.5\n',
    )
  })

  it.skipIf(!REDIS_SERVER)('many-replicas.ts, against a real Redis', async () => {
    const redis = await RedisServer.start()
    try {
      expect(run('many-replicas.ts', { REDIS_URL: `redis://127.0.0.1:${redis.port}` })).toBe(
        'a: miss\nb: revalidated\na: client-error 429\nb: success after waiting out the cooldown\n',
      )
    } finally {
      await redis.stop()
    }
  })
})
