/**
 * Three replicas of a service — three Node processes (test/support/replica.ts), each with its own
 * fetchkind client — sharing one real redis-server and one origin, as the README sets them up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { REDIS_SERVER, RedisServer, requireRedisServer } from '../support/redis-server.ts'
import { type CallSummary, probeRound, Replica } from '../support/replica-process.ts'

requireRedisServer('test/redis/replicas.test.ts')

let redis: RedisServer
let origin: LoopbackOrigin
let replicas: Replica[] = []
const seen = { full: 0, notModified: 0, limited: [] as number[], down: 0 }

beforeAll(async () => {
  if (!REDIS_SERVER) return
  redis = await RedisServer.start()
  origin = await startOrigin({
    '/doc': (request, response) => {
      if (request.headers['if-none-match'] === '"d1"') {
        seen.notModified += 1
        return response.writeHead(304, { etag: '"d1"', 'cache-control': 'no-cache' }).end()
      }
      seen.full += 1
      response.writeHead(200, { etag: '"d1"', 'cache-control': 'no-cache', 'content-type': 'text/plain' })
      response.end('the document, in full')
    },
    '/limited': (_request, response) => {
      seen.limited.push(Date.now())
      if (seen.limited.length === 1) return response.writeHead(429, { 'retry-after': '2' }).end()
      response.writeHead(200).end('ok')
    },
    '/down': (_request, response) => {
      seen.down += 1
      response.writeHead(503).end()
    },
    '/steady': (_request, response) => {
      response.writeHead(200, { 'cache-control': 'max-age=60' }).end('steady')
    },
  })
  replicas = [0, 1, 2].map(() => new Replica(redis.port, origin.url))
  // Each replica answers once it is connected to Redis and has its client.
  await Promise.all(replicas.map((replica) => replica.calls('/steady')))
}, 30_000)

afterAll(async () => {
  for (const replica of replicas) replica.stop()
  await redis?.stop()
  await origin?.stop()
})

describe.skipIf(!REDIS_SERVER)('three replicas on one Redis', () => {
  it("one replica's ETag saves the others the body: the origin sends it once, then only 304s", async () => {
    const results: CallSummary[] = []
    for (const replica of [...replicas, ...replicas]) results.push(await replica.call('/doc'))
    expect(results.map(({ kind, cache }) => `${kind} ${cache}`)).toEqual([
      'success miss',
      ...Array(5).fill('success revalidated'),
    ])
    expect(seen).toMatchObject({ full: 1, notModified: 5 })
  })

  it('after one replica gets 429 Retry-After: 2, no replica sends anything for two seconds', async () => {
    const [first, ...others] = replicas as [Replica, Replica, Replica]
    const limited = await first.call('/limited', { retry: { limit: 0 } })
    expect(limited).toMatchObject({ kind: 'client-error', status: 429 })
    const after = await Promise.all([first, ...others].map((replica) => replica.call('/limited')))

    const [refusedAt, ...sentAt] = seen.limited as [number, ...number[]]
    expect(sentAt).toHaveLength(3)
    // 10 ms for timer and clock rounding: each replica sleeps the TTL Redis reports, in whole ms.
    for (const at of sentAt) expect(at - refusedAt).toBeGreaterThanOrEqual(1990)
    for (const result of after) {
      expect(result).toMatchObject({ kind: 'success', attempts: 1, cooldown: { sent: true } })
      expect(result.cooldown?.ms).toBeGreaterThan(1000)
    }
  })

  it('with the origin always 503, the replicas together retry within one shared budget', async () => {
    // A floor of 0.5 retries a second over 10 s is 5 retries; the ratio (0.1 × 30 requests = 3) is lower.
    // Each replica on its own budget would retry 5 times: 15 in all, 45 requests.
    const retry = {
      budget: { ratio: 0.1, minPerSecond: 0.5, window: 10_000 },
      backoff: { initial: 1, max: 5 },
    }
    const runs = await Promise.all(replicas.map((replica) => replica.calls('/down', { count: 10, retry })))
    const results = runs.flat()
    expect(results.every(({ kind, status }) => kind === 'server-error' && status === 503)).toBe(true)
    expect(seen.down).toBe(30 + 5)
    expect(results.filter(({ retryStop }) => retryStop === 'budget').length).toBeGreaterThan(0)
    expect(results.every(({ storeFallbacks }) => storeFallbacks.length === 0)).toBe(true)
  })

  it("one replica's 503 sets no cooldown; three agreeing within ten seconds hold every replica back", async () => {
    // An origin of its own: the cooldown it earns must not hold back the other tests' calls.
    const unhealthy = await startOrigin({
      '/instance': (_request, response) => response.writeHead(503, { 'retry-after': '30' }).end(),
      '/ok': (_request, response) => response.writeHead(200).end('ok'),
    })
    try {
      const [first, second, third] = replicas as [Replica, Replica, Replica]
      const once = { retry: { limit: 0 } }
      const at = (path: string) => `${unhealthy.url}${path}`
      expect(await first.call(at('/instance'), once)).toMatchObject({ status: 503 })
      expect(await second.call(at('/instance'), once)).toMatchObject({ status: 503 })
      // Two 503s are no evidence yet: the third replica is not held back.
      expect(await third.call(at('/ok'))).toMatchObject({ kind: 'success', cooldown: null })
      expect(await third.call(at('/instance'), once)).toMatchObject({ status: 503 })
      // Three are: every replica now answers with the 503 at once, sending nothing.
      const held = await first.call(at('/ok'), { retry: { maxRetryAfter: 100 } })
      expect(held).toMatchObject({
        kind: 'server-error',
        status: 503,
        attempts: 0,
        cooldown: { sent: false },
      })
    } finally {
      await unhealthy.stop()
    }
  })

  it('a rate limit on the store holds across the replicas: the origin sees no more than the limit', async () => {
    const arrivals: number[] = []
    const limitedOrigin = await startOrigin({
      '/': (_request, response) => {
        arrivals.push(Date.now())
        response.writeHead(200).end('ok')
      },
    })
    try {
      // 3 a minute (a burst of 3, the next turn 20 s on) and no waiting: 30 calls at once across
      // three replicas; one replica's own limit would let 9 through.
      const rateLimit = { limit: 3, interval: 60_000, maxWait: 0 }
      const runs = await Promise.all(
        replicas.map((replica) =>
          replica.calls(`${limitedOrigin.url}/`, { count: 10, rateLimit, concurrent: true }),
        ),
      )
      const results = runs.flat()
      const sent = results.filter((result) => result.kind === 'success')
      expect(sent).toHaveLength(3)
      expect(results.filter((result) => result.reason === 'rate-limited')).toHaveLength(27)
      expect(arrivals).toHaveLength(3)
      expect(results.every(({ storeFallbacks }) => storeFallbacks.length === 0)).toBe(true)
    } finally {
      await limitedOrigin.stop()
    }
  })

  it('a breaker that opens in one replica opens in all; after the break one probe goes for the three', async () => {
    let up = false
    const sent: string[] = []
    const held: (() => void)[] = []
    const flaky = await startOrigin({
      '/': (_request, response) => {
        sent.push(up ? 'up' : 'down')
        // Up, the first answer waits to be let go: the probe is out while the others call.
        if (up && held.length === 0 && sent.filter((one) => one === 'up').length === 1)
          held.push(() => response.writeHead(200).end())
        else response.writeHead(up ? 200 : 503).end()
      },
    })
    try {
      const [first, second, third] = replicas as [Replica, Replica, Replica]
      const circuitBreaker = { minimumThroughput: 3, failureRatio: 0.5, breakDuration: 1_500 }
      const options = { circuitBreaker, retry: { limit: 0 } }
      const url = `${flaky.url}/`
      for (let i = 0; i < 3; i++) expect(await first.call(url, options)).toMatchObject({ status: 503 })
      // The opening was pushed: the other two refuse without ever having seen a failure.
      for (const replica of [second, third]) {
        expect(await replica.call(url, options)).toMatchObject({
          kind: 'refused',
          reason: 'circuit-open',
          attempts: 0,
        })
      }
      expect(sent).toEqual(['down', 'down', 'down'])

      up = true
      await new Promise((resolve) => setTimeout(resolve, 1_600))
      const probing = await probeRound(replicas, url, options, held)
      // One probe for the fleet; the others wait for it rather than send their own.
      expect(probing.map(({ kind }) => kind).sort()).toEqual(['refused', 'refused', 'success'])
      expect(sent).toEqual(['down', 'down', 'down', 'up'])
      // Its success, pushed, closes every replica's breaker.
      for (const replica of replicas) {
        let result = await replica.call(url, options)
        for (let tries = 0; result.kind === 'refused' && tries < 50; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 20))
          result = await replica.call(url, options)
        }
        expect(result).toMatchObject({ kind: 'success', attempts: 1 })
      }
    } finally {
      await flaky.stop()
    }
  })

  it('with Redis stopped mid-run, every call still succeeds, without it, and says so; back, it is used again', async () => {
    const running = Promise.all(replicas.map((replica) => replica.calls('/steady', { count: 20, pause: 10 })))
    await new Promise((resolve) => setTimeout(resolve, 50))
    await redis.stop()
    const during = (await running).flat()
    expect(during.every(({ kind }) => kind === 'success')).toBe(true)

    const without = (
      await Promise.all(replicas.map((replica) => replica.calls('/steady', { count: 3 })))
    ).flat()
    for (const result of without) {
      expect(result).toMatchObject({ kind: 'success', cache: 'miss' })
      expect(result.storeFallbacks.map(({ store, operation }) => `${store} ${operation}`)).toEqual([
        'cache get',
        'retry admit',
        'cache set',
      ])
      // Down is down at once: node-redis without its offline queue rejects rather than waits.
      expect(result.duration).toBeLessThan(1000)
    }

    // Each replica's breaker around Redis left it alone after the failures: once Redis is back, the
    // next probe after the break (5 s) finds it, and it is used again.
    await redis.restart()
    for (const replica of replicas) {
      let result = await replica.call('/steady')
      for (let tries = 0; result.storeFallbacks.length > 0 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        result = await replica.call('/steady')
      }
      expect(result.storeFallbacks).toEqual([])
    }
  }, 30_000)
})
