/**
 * A Redis that stalls (CLIENT PAUSE: it holds every command, answers none) is paid for by the
 * first few commands only (issue 43): three that time out in a row close the store's gate, calls
 * go on without Redis at once, and a probe in the background opens it again once Redis answers.
 * Before, the store's breaker needed half of a ten-second window to fail, and under load nearly
 * every call of a three-second stall waited out one or two timeouts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { StoreFallback } from '../../src/diagnostics.ts'
import { createClient } from '../../src/index.ts'
import { redisCacheStore, redisPolicyStore } from '../../src/redis.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import {
  connectRedis,
  REDIS_SERVER,
  type RedisClient,
  RedisServer,
  requireRedisServer,
} from '../support/redis-server.ts'

requireRedisServer('test/redis/stall.test.ts')

let server: RedisServer
let inspector: RedisClient
let origin: LoopbackOrigin

beforeAll(async () => {
  if (!REDIS_SERVER) return
  server = await RedisServer.start()
  inspector = await connectRedis(server.port)
  origin = await startOrigin({ '/': (_request, response) => response.writeHead(200).end('ok') })
}, 20_000)

afterAll(async () => {
  inspector?.destroy()
  await server?.stop()
  await origin?.stop()
})

const timedOut = (fallback: StoreFallback) => fallback.error.includes('did not answer')

describe.skipIf(!REDIS_SERVER)('a Redis that stalls for three seconds', () => {
  it('costs the calls three timed-out commands, then nothing until it answers again', async () => {
    const redis = await connectRedis(server.port)
    // The set-up without a subscriber: every call asks Redis (the cooldown, the cache).
    const api = createClient({
      cache: { store: redisCacheStore(redis, { prefix: 'stall:cache:', timeout: 100 }) },
      retry: { store: redisPolicyStore(redis, { prefix: 'stall:retry:', timeout: 100 }) },
    })
    const url = `${origin.url}/`
    for (let i = 0; i < 3; i++) expect((await api.get(url)).meta.storeFallbacks).toEqual([])

    await inspector.sendCommand(['CLIENT', 'PAUSE', '3000', 'ALL'])
    const stalled = Date.now()
    const during: StoreFallback[][] = []
    while (Date.now() - stalled < 2_500) {
      const result = await api.get(url)
      expect(result.kind).toBe('success')
      during.push(result.meta.storeFallbacks as StoreFallback[])
    }
    // Three commands waited out the timeout; every call after them skipped Redis at once.
    const timeouts = during.flat().filter(timedOut)
    expect(timeouts).toHaveLength(3)
    const lastWaiting = during.findLastIndex((fallbacks) => fallbacks.some(timedOut))
    const after = during.slice(lastWaiting + 1)
    expect(after.length).toBeGreaterThan(10)
    for (const fallbacks of after) {
      expect(fallbacks.length).toBeGreaterThan(0)
      expect(fallbacks.every(({ error }) => error.includes('skipped'))).toBe(true)
    }

    // Once Redis answers again, the background probe opens the gate: calls use it, no fallback.
    await vi.waitFor(async () => expect((await api.get(url)).meta.storeFallbacks).toEqual([]), {
      timeout: 5_000,
      interval: 100,
    })
    redis.destroy()
  }, 20_000)
})
