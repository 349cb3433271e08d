/**
 * How the Redis stores call Redis: scripts by SHA1 (sent whole once), ioredis-shaped clients
 * adapted, and the breaker that leaves a failing Redis alone for a while.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import { RedisCaller, redisCommands } from '../../src/redis/commands.ts'
import { redisCacheStore, redisPolicyStore } from '../../src/redis.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import {
  connectRedis,
  REDIS_SERVER,
  type RedisClient,
  RedisServer,
  requireRedisServer,
} from '../support/redis-server.ts'

requireRedisServer('test/redis/commands.test.ts')

let server: RedisServer
let redis: RedisClient
let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({ '/': (_request, response) => response.writeHead(200).end('ok') })
  if (!REDIS_SERVER) return
  server = await RedisServer.start()
  redis = await connectRedis(server.port)
}, 20_000)

afterAll(async () => {
  redis?.destroy()
  await server?.stop()
  await origin.stop()
})

afterEach(() => {
  vi.useRealTimers()
})

describe.skipIf(!REDIS_SERVER)('scripts', () => {
  it('go by SHA1: the script text is sent once, and again only when Redis has lost it', async () => {
    const sent: string[] = []
    const counting = {
      eval: (script: string, options: { keys: string[]; arguments: string[] }) => {
        sent.push('eval')
        return redis.eval(script, options)
      },
      evalSha: (sha: string, options: { keys: string[]; arguments: string[] }) => {
        sent.push('evalSha')
        return redis.evalSha(sha, options)
      },
    }
    const store = redisPolicyStore(counting, { prefix: 'sha:', timeout: 2_000 })
    for (let i = 0; i < 3; i++) await store.coolDown('http://s.test', { status: 429, ms: 1_000 })
    expect(sent).toEqual(['evalSha', 'eval', 'evalSha', 'evalSha'])
    await redis.scriptFlush()
    await store.coolDown('http://s.test', { status: 429, ms: 1_000 })
    expect(sent.slice(4)).toEqual(['evalSha', 'eval'])
  })
})

describe('redisCommands', () => {
  it('gives an ioredis-shaped client the commands the stores call, and node-redis as it is', async () => {
    const calls: unknown[][] = []
    const ioredis = {
      get: async (...args: unknown[]) => {
        calls.push(['get', ...args])
        return 'v'
      },
      psetex: async (...args: unknown[]) => calls.push(['psetex', ...args]),
      del: async (...args: unknown[]) => calls.push(['del', ...args]),
      eval: async (...args: unknown[]) => calls.push(['eval', ...args]),
      evalsha: async (...args: unknown[]) => calls.push(['evalsha', ...args]),
    }
    const commands = redisCommands(ioredis)
    expect(await commands.get('k')).toBe('v')
    await commands.pSetEx('k', 10, 'v')
    await commands.del('k')
    await commands.eval('return 1', { keys: ['a', 'b'], arguments: ['1'] })
    await commands.evalSha?.('abc', { keys: ['a'], arguments: [] })
    expect(calls).toEqual([
      ['get', 'k'],
      ['psetex', 'k', 10, 'v'],
      ['del', 'k'],
      ['eval', 'return 1', 2, 'a', 'b', '1'],
      ['evalsha', 'abc', 1, 'a'],
    ])
    const nodeRedis = {
      get: async () => null,
      pSetEx: async () => 'OK',
      del: async () => 1,
      eval: async () => 1,
    }
    expect(redisCommands(nodeRedis)).toBe(nodeRedis)
  })
})

describe('the breaker around Redis', () => {
  /** A client that fails until `redis.up`; `calls` counts the commands calls sent and the probes. */
  const failing = () => {
    const calls = { count: 0, probes: 0 }
    const redis = { up: false }
    const answer = async <T>(value: T): Promise<T> => {
      if (!redis.up) throw new Error('connection refused')
      return value
    }
    const client = {
      get: async (): Promise<string | null> => {
        calls.count += 1
        return answer(null)
      },
      pSetEx: async () => {
        calls.count += 1
        return answer('OK')
      },
      del: async () => 1,
      // What the gate probes with.
      eval: async () => {
        calls.probes += 1
        return answer(1)
      },
    }
    return { calls, client, redis }
  }

  it('three failures in a row leave Redis alone, each call noting it, until a background probe is answered', async () => {
    const { calls, client, redis } = failing()
    const api = createClient({ cache: { store: redisCacheStore(client) }, retry: false })
    // Each call asks Redis once (a get: the answer is not storable); three in a row failing close the gate.
    for (let i = 0; i < 3; i++) await api.get(`${origin.url}/`)
    expect(calls.count).toBe(3)
    for (let i = 0; i < 5; i++) {
      const skipped = await api.get(`${origin.url}/`)
      expect(skipped).toMatchObject({ kind: 'success' })
      expect(skipped.meta.storeFallbacks[0]).toMatchObject({
        store: 'cache',
        operation: 'get',
        error: expect.stringContaining('skipped'),
      })
    }
    // No call was the probe: none of them asked Redis.
    expect(calls.count).toBe(3)
    redis.up = true
    // The background probe finds Redis answering, and calls use it again.
    await vi.waitFor(async () => {
      const back = await api.get(`${origin.url}/`)
      expect(back.meta.storeFallbacks).toEqual([])
    })
    expect(calls.probes).toBeGreaterThan(0)
  })

  it('breaker: false asks Redis every time', async () => {
    const { calls, client } = failing()
    const api = createClient({ cache: { store: redisCacheStore(client, { breaker: false }) }, retry: false })
    for (let i = 0; i < 4; i++) await api.get(`${origin.url}/`)
    expect(calls.count).toBe(4)
    expect(() => redisCacheStore(client, { breaker: 'no' as never })).toThrow(/"breaker"/)
  })

  it('a hash slot that keeps failing is skipped while the other slots go on (a lost Cluster master)', async () => {
    const asked: string[] = []
    const caller = new RedisCaller(
      {
        get: async (key) => {
          asked.push(key)
          if (key.startsWith('{lost}')) throw new Error('CLUSTERDOWN')
          return null
        },
        pSetEx: async () => 'OK',
        del: async () => 1,
        // The slot's background probe goes to the lost node too.
        eval: async (_script: string, { keys }: { keys: string[] }) => {
          if (keys[0]?.startsWith('{lost}')) throw new Error('CLUSTERDOWN')
          return 1
        },
      },
      {},
    )
    const get = (key: string) =>
      caller
        .call(key, (client) => client.get(key))
        .then(
          () => 'ok',
          (error: Error) => error.message,
        )
    const outcomes: string[] = []
    for (let i = 0; i < 8; i++) {
      outcomes.push(await get(`{lost}:${i}`))
      // Three of four commands succeed: the whole store's breaker stays closed.
      for (let j = 0; j < 3; j++) outcomes.push(await get(`{kept}:${i}:${j}`))
    }
    expect(asked.filter((key) => key.startsWith('{lost}'))).toHaveLength(3)
    expect(outcomes.filter((outcome) => outcome.includes('hash slot'))).toHaveLength(5)
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(24)
  })

  it('a success between failures keeps it closed', async () => {
    let fail = true
    const caller = new RedisCaller(
      {
        get: async () => {
          fail = !fail
          if (!fail) throw new Error('flaky')
          return null
        },
        pSetEx: async () => 'OK',
        del: async () => 1,
        eval: async () => 1,
      },
      {},
    )
    const outcomes = []
    for (let i = 0; i < 20; i++)
      outcomes.push(
        await caller
          .call('k', (client) => client.get('k'))
          .then(
            () => 'ok',
            (error: Error) => error.message,
          ),
      )
    // Half fail: the breaker opens at a ratio of 0.5 once it has seen 5.
    expect(outcomes.filter((outcome) => outcome.includes('skipped')).length).toBeGreaterThan(0)
  })
})
