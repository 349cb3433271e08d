/**
 * Against a real nginx on a loopback port, started from the config in test/suites/nginx/. CI installs
 * nginx (.ci/run); on a machine without it these tests are skipped, saying so — under CI=true
 * they fail instead, so that CI can never pass them by skipping.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { closedPort } from '../support/loopback-origin.ts'

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((path) => existsSync(path))
if (!NGINX && process.env.CI)
  throw new Error('nginx is not installed, and CI must run these tests: see .ci/run')
if (!NGINX)
  console.warn(
    'test/suites/nginx.test.ts: nginx is not installed here; skipping the nginx tests (CI runs them)',
  )

const document = { name: 'served by nginx', items: [1, 2, 3] }
let nginx: ChildProcess | undefined
let slow: Server
let base = ''
const prefix = mkdtempSync(join(tmpdir(), 'fetchkind-nginx-'))

async function freePort(): Promise<number> {
  return closedPort()
}

beforeAll(async () => {
  if (!NGINX) return
  slow = createServer(() => {})
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
  const port = await freePort()
  mkdirSync(join(prefix, 'static'), { recursive: true })
  mkdirSync(join(prefix, 'tmp'), { recursive: true })
  writeFileSync(join(prefix, 'static', 'doc.json'), JSON.stringify(document))
  const config = readFileSync(join(import.meta.dirname, 'nginx', 'nginx.conf.template'), 'utf8')
    .replace('{{USER}}', process.getuid?.() === 0 ? 'user root;' : '')
    .replaceAll('{{PORT}}', String(port))
    .replaceAll('{{ROOT}}', prefix)
    .replaceAll('{{CLOSED_PORT}}', String(await closedPort()))
    .replaceAll('{{SLOW_PORT}}', String((slow.address() as AddressInfo).port))
  writeFileSync(join(prefix, 'nginx.conf'), config)
  nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' })
  base = `http://127.0.0.1:${port}`
  // Ready when it answers.
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`${base}/static/doc.json`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`nginx did not start: ${readFileSync(join(prefix, 'error.log'), 'utf8')}`)
}, 20_000)

afterAll(async () => {
  nginx?.kill('SIGTERM')
  slow?.closeAllConnections()
  slow?.close()
  rmSync(prefix, { recursive: true, force: true })
})

describe.skipIf(!NGINX)('a real nginx', () => {
  it('static files: a full 200 with an ETag, then 304s answered from the cache', async () => {
    const api = createClient({ baseUrl: base })
    const first = await api.get('/static/doc.json')
    expect(first).toMatchObject({ kind: 'success', data: document, meta: { cache: 'miss' } })
    if (first.kind === 'success') expect(first.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    const again = await api.get('/static/doc.json', { cache: 'no-cache' })
    expect(again).toMatchObject({
      kind: 'success',
      status: 200,
      data: document,
      meta: { cache: 'revalidated' },
    })
    expect(again.meta.attempts).toEqual([expect.objectContaining({ status: 304 })])
  })

  it('a 301 → 302 → 307 → 308 chain is followed to the file, every hop recorded', async () => {
    const result = await createClient({ baseUrl: base }).get('/r301')
    expect(result).toMatchObject({ kind: 'success', data: document })
    expect(result.meta.redirects.map((hop) => hop.status)).toEqual([301, 302, 307, 308])
  })

  it('limit_req: the second request is a 429 whose Retry-After returns at once past maxRetryAfter', async () => {
    // Not cached: nginx's Last-Modified gives the file a moment of heuristic freshness, and a
    // cache hit would never reach limit_req.
    const api = createClient({ baseUrl: base, retry: { maxRetryAfter: 5_000 }, cache: false })
    expect((await api.get('/limited')).kind).toBe('success')
    const limited = await api.get('/limited')
    expect(limited).toMatchObject({
      kind: 'client-error',
      status: 429,
      retryAfter: { ms: 60_000 },
      meta: { retryStop: 'max-retry-after' },
    })
  })

  it('maintenance: a 503 with Retry-After 120 returns at once with retryAfter', async () => {
    const result = await createClient({ baseUrl: base }).get('/maintenance')
    expect(result).toMatchObject({
      kind: 'server-error',
      status: 503,
      retryAfter: { ms: 120_000 },
      meta: { retryStop: 'max-retry-after' },
    })
    expect(result.meta.attempts).toHaveLength(1)
  })

  it('a proxy to a closed port is a 502, retried, then returned', async () => {
    const result = await createClient({
      baseUrl: base,
      retry: { backoff: { initial: 10, max: 10 }, budget: false },
    }).get('/closed')
    expect(result).toMatchObject({ kind: 'server-error', status: 502, meta: { retryStop: 'limit' } })
    expect(result.meta.attempts.map((attempt) => attempt.status)).toEqual([502, 502, 502])
  })

  it('a proxy to a slow upstream is a 504 once its read timeout passes', async () => {
    const result = await createClient({ baseUrl: base, retry: false }).get('/slow')
    expect(result).toMatchObject({ kind: 'server-error', status: 504, statusText: 'Gateway Timeout' })
  })
})
