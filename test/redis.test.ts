/**
 * The Redis cache store against a real redis-server on a loopback port (CI installs it; on a
 * machine without it these tests are skipped, saying so, and under CI=true they fail instead).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import CachePolicy from 'http-cache-semantics'
import { createClient as createRedis } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CacheEntry, createClient } from '../src/index.ts'
import { redisStore } from '../src/redis.ts'
import { closedPort, type LoopbackOrigin, startOrigin } from './support/loopback-origin.ts'

const REDIS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path))
if (!REDIS && process.env.CI)
  throw new Error('redis-server is not installed, and CI must run these tests: see .ci/run')
if (!REDIS)
  console.warn(
    'test/redis.test.ts: redis-server is not installed here; skipping the Redis tests (CI runs them)',
  )

let server: ChildProcess | undefined
let redis: ReturnType<typeof createRedis>
let origin: LoopbackOrigin
let port = 0
const seen = { full: 0, notModified: 0 }

async function startRedis(): Promise<void> {
  server = spawn(
    REDIS as string,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  )
  for (let i = 0; i < 100; i++) {
    const probe = createRedis({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } })
    probe.on('error', () => {})
    const up = await probe.connect().then(
      () => true,
      () => false,
    )
    if (up) {
      await probe.quit()
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('redis-server did not start')
}

beforeAll(async () => {
  if (!REDIS) return
  port = await closedPort()
  await startRedis()
  redis = createRedis({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } })
  redis.on('error', () => {})
  await redis.connect()
  origin = await startOrigin({
    '/doc': (request, response) => {
      if (request.headers['if-none-match'] === '"d1"') {
        seen.notModified += 1
        return response.writeHead(304, { etag: '"d1"', 'cache-control': 'no-cache' }).end()
      }
      seen.full += 1
      response.writeHead(200, {
        etag: '"d1"',
        'cache-control': 'no-cache',
        'content-type': 'application/octet-stream',
      })
      response.end(Buffer.from(Array.from({ length: 256 }, (_, i) => i)))
    },
  })
}, 20_000)

afterAll(async () => {
  await redis?.quit().catch(() => {})
  server?.kill('SIGTERM')
  await origin?.stop()
})

function entry(body: Uint8Array, cacheControl: string, etag?: string): CacheEntry {
  const headers = { 'cache-control': cacheControl, date: new Date().toUTCString(), ...(etag ? { etag } : {}) }
  const policy = new CachePolicy(
    { url: '/x', method: 'GET', headers: { host: 'x.test' } },
    { status: 200, headers },
    { shared: false },
  )
  return {
    policy: policy.toObject() as unknown as CacheEntry['policy'],
    status: 200,
    statusText: 'OK',
    body,
    vary: {},
    credentials: '',
    size: body.byteLength + 200,
  }
}

describe.skipIf(!REDIS)('redisStore', () => {
  it('keeps an entry whole, bodies binary-safe, under its prefix', async () => {
    const store = redisStore(redis, { prefix: 'test:a:' })
    const body = new Uint8Array(Array.from({ length: 256 }, (_, i) => i))
    await store.set('http://x.test/a', entry(body, 'max-age=60'))
    const back = await store.get('http://x.test/a')
    expect(back?.body && Array.from(back.body)).toEqual(Array.from(body))
    expect(back?.status).toBe(200)
    expect(await redis.exists('test:a:http://x.test/a')).toBe(1)
    await store.delete('http://x.test/a')
    expect(await store.get('http://x.test/a')).toBeUndefined()
  })

  it('expires an entry with its freshness, or after validatorTtl when a 304 can renew it', async () => {
    const store = redisStore(redis, { prefix: 'test:ttl:', validatorTtl: 3_600_000 })
    await store.set('fresh', entry(new Uint8Array(1), 'max-age=60'))
    await store.set('validated', entry(new Uint8Array(1), 'max-age=0', '"e"'))
    await store.set('neither', entry(new Uint8Array(1), 'max-age=0'))
    const fresh = await redis.pTTL('test:ttl:fresh')
    expect(fresh).toBeGreaterThan(50_000)
    expect(fresh).toBeLessThanOrEqual(60_000)
    expect(await redis.pTTL('test:ttl:validated')).toBeGreaterThan(3_500_000)
    expect(await redis.exists('test:ttl:neither')).toBe(0)
  })

  it('declines an entry over maxEntrySize', async () => {
    const store = redisStore(redis, { prefix: 'test:size:', maxEntrySize: 100 })
    await store.set('big', entry(new Uint8Array(500), 'max-age=60'))
    expect(await store.get('big')).toBeUndefined()
  })

  it("shares one replica's ETag with another: the origin sends the body once, then 304s", async () => {
    const replica = () =>
      createClient({ baseUrl: origin.url, cache: { store: redisStore(redis, { prefix: 'test:replicas:' }) } })
    const [a, b, c] = [replica(), replica(), replica()]
    const first = await a.get('/doc')
    const second = await b.get('/doc')
    const third = await c.get('/doc')
    expect([first.meta.cache, second.meta.cache, third.meta.cache]).toEqual([
      'miss',
      'revalidated',
      'revalidated',
    ])
    expect(second.kind === 'success' && Array.from(second.data as Uint8Array)).toEqual(
      Array.from({ length: 256 }, (_, i) => i),
    )
    expect(seen).toEqual({ full: 1, notModified: 2 })
  })

  it('with Redis gone, calls go on uncached, within the store timeout', async () => {
    server?.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 200))
    const store = redisStore(redis, { prefix: 'test:down:', timeout: 50 })
    const api = createClient({ baseUrl: origin.url, cache: { store } })
    const started = performance.now()
    const result = await api.get('/doc')
    expect(result).toMatchObject({ kind: 'success', meta: { cache: 'miss' } })
    expect(performance.now() - started).toBeLessThan(2000)
    await startRedis()
  })
})
