/**
 * The Redis stores on a real Redis Cluster of three masters (test/support/redis-cluster.ts), each
 * fetchkind client — a replica of a service — on its own cluster connection: the cache shared
 * across slots, the cooldown and the budget on their origin's slot (the `{origin}` hash tag keeps a
 * script's keys together), and one master lost mid-run.
 */
import { createCluster } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { redisCacheStore, redisRetryStore } from '../../src/redis.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { REDIS_CLI, RedisCluster } from '../support/redis-cluster.ts'
import { REDIS_SERVER, requireRedisServer } from '../support/redis-server.ts'

requireRedisServer('test/redis/cluster.test.ts')
if (REDIS_SERVER && !REDIS_CLI && process.env.CI)
  throw new Error('redis-cli is not installed, and CI must run these tests')
const CAN_RUN = REDIS_SERVER !== undefined && REDIS_CLI !== undefined

let cluster: RedisCluster
let origin: LoopbackOrigin
const connections: { destroy(): void }[] = []
const seen = { full: 0, notModified: 0, limited: 0, down: 0 }

beforeAll(async () => {
  if (!CAN_RUN) return
  cluster = await RedisCluster.start()
  origin = await startOrigin({
    '/doc': (request, response) => {
      if (request.headers['if-none-match'] === '"c1"') {
        seen.notModified += 1
        return response.writeHead(304, { etag: '"c1"', 'cache-control': 'no-cache' }).end()
      }
      seen.full += 1
      response.writeHead(200, { etag: '"c1"', 'cache-control': 'no-cache' }).end('the document')
    },
    '/down': (_request, response) => {
      seen.down += 1
      response.writeHead(503).end()
    },
    '/steady': (request, response) =>
      response.writeHead(200, { 'cache-control': 'no-cache', etag: `"${request.url}"` }).end('ok'),
  })
}, 60_000)

afterAll(async () => {
  for (const connection of connections) connection.destroy()
  await cluster?.stop()
  await origin?.stop()
}, 30_000)

/** One replica: a client on its own cluster connection, its stores on it. */
async function replica(retry: object = {}, baseUrl = origin.url, timeout = 1_000) {
  const redis = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${cluster.ports[0]}` }] })
  redis.on('error', () => {})
  await redis.connect()
  connections.push(redis)
  const options = { prefix: 'cluster:', timeout }
  return createClient({
    baseUrl,
    cache: { store: redisCacheStore(redis, options) },
    retry: { store: redisRetryStore(redis, options), ...retry },
  })
}

describe.skipIf(!CAN_RUN)('on a Redis Cluster of three masters', () => {
  it("shares the cache: one replica's ETag saves the others the body", async () => {
    const replicas = [await replica(), await replica(), await replica()]
    const results: Result[] = []
    for (const client of [...replicas, ...replicas]) results.push(await client.get('/doc'))
    expect(results.map((result) => `${result.kind} ${result.meta.cache}`)).toEqual([
      'success miss',
      ...Array(5).fill('success revalidated'),
    ])
    expect(seen).toMatchObject({ full: 1, notModified: 5 })
    expect(results.every((result) => result.meta.storeFallbacks.length === 0)).toBe(true)
  })

  it('shares the cooldown: after one replica gets 429 Retry-After: 30, the others send nothing', async () => {
    // An origin of its own: its cooldown must not hold back the other tests' calls.
    const limited = await startOrigin({
      '/limited': (_request, response) => {
        seen.limited += 1
        response.writeHead(429, { 'retry-after': '30' }).end()
      },
    })
    try {
      const first = await replica({ limit: 0 }, limited.url)
      const second = await replica({ maxRetryAfter: 1_000 }, limited.url)
      expect(await first.get('/limited')).toMatchObject({ kind: 'client-error', status: 429 })
      expect(await second.get('/limited')).toMatchObject({
        kind: 'client-error',
        status: 429,
        meta: { attempts: [], cooldown: { sent: false } },
      })
      expect(seen.limited).toBe(1)
    } finally {
      await limited.stop()
    }
  })

  it('shares the budget: three replicas retry an outage within one budget', async () => {
    const retry = {
      budget: { ratio: 0.1, minPerSecond: 0.5, window: 10_000 },
      backoff: { initial: 1, max: 5 },
    }
    const replicas = [await replica(retry), await replica(retry), await replica(retry)]
    const results = await Promise.all(
      replicas.map(async (client) => {
        const out: Result[] = []
        for (let i = 0; i < 10; i++) out.push(await client.get('/down'))
        return out
      }),
    )
    expect(results.flat().every((result) => result.kind === 'server-error')).toBe(true)
    // The floor allows 5 retries in the window across the cluster; each replica alone would take 5.
    expect(seen.down).toBe(30 + 5)
  })

  it('with one master lost mid-run, every call still succeeds, and those whose keys it held say so', async () => {
    const replicas = [
      await replica({}, origin.url, 200),
      await replica({}, origin.url, 200),
      await replica({}, origin.url, 200),
    ]
    const paths = Array.from({ length: 12 }, (_, i) => `/steady?n=${i}`)
    for (const client of replicas) for (const path of paths) await client.get(path)
    cluster.stopNode(cluster.ports[1] as number)
    const results: Result[] = []
    for (const client of replicas) for (const path of paths) results.push(await client.get(path))
    expect(results.every((result) => result.kind === 'success')).toBe(true)
    // Twelve URLs spread over three masters' slots: some lived on the lost one.
    expect(results.some((result) => result.meta.storeFallbacks.length > 0)).toBe(true)
    // Each waits on Redis at most its store timeout per command, and not at all once the stores'
    // breakers leave the cluster alone.
    expect(Math.max(...results.map((result) => result.meta.duration))).toBeLessThan(2_000)
  }, 60_000)
})
