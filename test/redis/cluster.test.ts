/**
 * The Redis stores on a real Redis Cluster of three masters (test/support/redis-cluster.ts), each
 * replica of a service its own Node process on its own cluster connection: the cache shared across
 * slots, the cooldown, the budget and the breaker on their origin's slot (the `{origin}` hash tag
 * keeps a script's keys together; pub/sub reaches every node's subscribers), and one master lost
 * mid-run.
 */
import clusterKeySlot from 'cluster-key-slot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheKey } from '../../src/cache/credentials.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { REDIS_CLI, RedisCluster } from '../support/redis-cluster.ts'
import { REDIS_SERVER, requireRedisServer } from '../support/redis-server.ts'
import { type CallSummary, probeRound, Replica, type ReplicaOptions } from '../support/replica-process.ts'

requireRedisServer('test/redis/cluster.test.ts')
if (REDIS_SERVER && !REDIS_CLI && process.env.CI)
  throw new Error('redis-cli is not installed, and CI must run these tests')
const CAN_RUN = REDIS_SERVER !== undefined && REDIS_CLI !== undefined

let cluster: RedisCluster
let origin: LoopbackOrigin
const started: Replica[] = []
const seen = { full: 0, notModified: 0, limited: 0, down: 0, flaky: [] as string[] }
let flakyUp = false
const held: (() => void)[] = []

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
    '/flaky': (_request, response) => {
      seen.flaky.push(flakyUp ? 'up' : 'down')
      // Up, the first answer waits to be let go: the probe is out while the others call.
      if (flakyUp && seen.flaky.filter((one) => one === 'up').length === 1)
        held.push(() => response.writeHead(200).end())
      else response.writeHead(flakyUp ? 200 : 503).end()
    },
    '/steady': (request, response) =>
      response.writeHead(200, { 'cache-control': 'no-cache', etag: `"${request.url}"` }).end('ok'),
  })
}, 60_000)

afterAll(async () => {
  for (const replica of started) replica.stop()
  await cluster?.stop()
  await origin?.stop()
}, 30_000)

/**
 * `count` paths of /steady whose cache keys fall evenly on the masters' slots: the origin's port
 * is new each run, and twelve keys left to chance miss one master of three one run in 130.
 */
function pathsOnEveryMaster(count: number): string[] {
  const slots = cluster.ports.map((port) => cluster.slotsOf(port))
  const paths: string[][] = slots.map(() => [])
  const each = count / slots.length
  for (let n = 0; paths.some((held) => held.length < each); n++) {
    const path = `/steady?n=${n}`
    const slot = clusterKeySlot(`replicas:cache:${cacheKey(new URL(path, origin.url))}`)
    const master = slots.findIndex((ranges) => ranges.some(([from, to]) => slot >= from && slot <= to))
    if ((paths[master]?.length ?? each) < each) paths[master]?.push(path)
  }
  return paths.flat()
}

/** Three replica processes on the cluster, each answering once connected and with its client. */
async function threeReplicas(baseUrl = origin.url, options: ReplicaOptions = {}) {
  const replicas = [0, 1, 2].map(
    () => new Replica(cluster.ports[0] as number, baseUrl, { cluster: true, ...options }),
  )
  started.push(...replicas)
  await Promise.all(replicas.map((replica) => replica.calls('/steady?warm')))
  return replicas as [Replica, Replica, Replica]
}

describe.skipIf(!CAN_RUN)('three replica processes on a Redis Cluster of three masters', () => {
  let replicas: [Replica, Replica, Replica]
  beforeAll(async () => {
    if (CAN_RUN) replicas = await threeReplicas()
  }, 30_000)

  it("shares the cache: one replica's ETag saves the others the body", async () => {
    const results: CallSummary[] = []
    for (const replica of [...replicas, ...replicas]) results.push(await replica.call('/doc'))
    expect(results.map((result) => `${result.kind} ${result.cache}`)).toEqual([
      'success miss',
      ...Array(5).fill('success revalidated'),
    ])
    expect(seen).toMatchObject({ full: 1, notModified: 5 })
    expect(results.every((result) => result.storeFallbacks.length === 0)).toBe(true)
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
      const [first, second, third] = replicas
      const url = `${limited.url}/limited`
      expect(await first.call(url, { retry: { limit: 0 } })).toMatchObject({
        kind: 'client-error',
        status: 429,
      })
      for (const replica of [second, third]) {
        expect(await replica.call(url, { retry: { maxRetryAfter: 1_000 } })).toMatchObject({
          kind: 'client-error',
          status: 429,
          attempts: 0,
          cooldown: { sent: false },
        })
      }
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
    const runs = await Promise.all(replicas.map((replica) => replica.calls('/down', { count: 10, retry })))
    expect(runs.flat().every((result) => result.kind === 'server-error')).toBe(true)
    // The floor allows 5 retries in the window across the cluster; each replica alone would take 5.
    expect(seen.down).toBe(30 + 5)
  })

  it('shares the breaker: one replica opening it opens all three; after the break, one probe for the three', async () => {
    const [first, second, third] = replicas
    const options = {
      circuitBreaker: { minimumThroughput: 3, failureRatio: 0.5, breakDuration: 1_500 },
      retry: { limit: 0 },
    }
    for (let i = 0; i < 3; i++) expect(await first.call('/flaky', options)).toMatchObject({ status: 503 })
    for (const replica of [second, third]) {
      expect(await replica.call('/flaky', options)).toMatchObject({ kind: 'refused', attempts: 0 })
    }
    flakyUp = true
    await new Promise((resolve) => setTimeout(resolve, 1_600))
    const probing = await probeRound(replicas, '/flaky', options, held)
    expect(probing.map(({ kind }) => kind).sort()).toEqual(['refused', 'refused', 'success'])
    expect(seen.flaky).toEqual(['down', 'down', 'down', 'up'])
  })
})

describe.skipIf(!CAN_RUN)('a Redis Cluster that loses a master mid-run', () => {
  it('every call still succeeds, those whose keys it held say so, and none waits long', async () => {
    // A short store timeout: the lost master's keys fail by it until the breakers skip them.
    const replicas = await threeReplicas(origin.url, { timeout: 200 })
    const paths = pathsOnEveryMaster(12)
    for (const replica of replicas) for (const path of paths) await replica.call(path)
    cluster.stopNode(cluster.ports[1] as number)
    const runs = await Promise.all(
      replicas.map(async (replica) => {
        const results: CallSummary[] = []
        for (let round = 0; round < 2; round++)
          for (const path of paths) results.push(await replica.call(path))
        return results
      }),
    )
    const results = runs.flat()
    expect(results.every((result) => result.kind === 'success')).toBe(true)
    // Twelve URLs, four cached on each master's slots: four lived on the lost one.
    const fallbacks = results.flatMap((result) => result.storeFallbacks)
    expect(fallbacks.length).toBeGreaterThan(0)
    // The lost master's hash slots are skipped once they kept failing: later calls wait for nothing.
    expect(fallbacks.some(({ error }) => error.includes('hash slot'))).toBe(true)
    expect(Math.max(...results.map((result) => result.duration))).toBeLessThan(2_000)
  }, 60_000)
})
