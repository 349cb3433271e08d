/**
 * The retry store with a subscriber: cooldowns mirrored in memory and pushed over pub/sub, requests
 * counted locally and flushed — no Redis round trip for a call with nothing held back — against a
 * real redis-server, on node-redis and on ioredis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisRetryStore } from '../../src/redis.ts'
import {
  closeClient,
  connectIoredis,
  connectRedis,
  REDIS_SERVER,
  type RedisClient,
  RedisServer,
  requireRedisServer,
} from '../support/redis-server.ts'

requireRedisServer('test/redis/mirror.test.ts')

let server: RedisServer
let inspector: RedisClient
const opened: { destroy(): void }[] = []

beforeAll(async () => {
  if (!REDIS_SERVER) return
  server = await RedisServer.start()
  inspector = await connectRedis(server.port)
}, 20_000)

afterAll(async () => {
  for (const client of opened) client.destroy()
  inspector?.destroy()
  await server?.stop()
})

const budget = { ratio: 0.5, minPerSecond: 1, window: 10_000 }

/** A store on its own connections, the scripts it sends counted. */
async function replica(flavour: 'node-redis' | 'ioredis', prefix: string) {
  const scripts = { count: 0 }
  if (flavour === 'node-redis') {
    const main = await connectRedis(server.port)
    const subscriber = main.duplicate()
    await subscriber.connect()
    opened.push(main, subscriber)
    const counting = {
      eval: (script: string, options: { keys: string[]; arguments: string[] }) => {
        scripts.count += 1
        return main.eval(script, options)
      },
    }
    return {
      scripts,
      store: redisRetryStore(counting, { prefix, subscriber, flushInterval: 20, timeout: 2_000 }),
    }
  }
  const main = await connectIoredis(server.port)
  const subscriber = await connectIoredis(server.port)
  opened.push({ destroy: () => closeClient(main) }, { destroy: () => closeClient(subscriber) })
  const counting = {
    eval: (script: string, keyCount: number, ...rest: string[]) => {
      scripts.count += 1
      return main.eval(script, keyCount, ...rest)
    },
    evalsha: (sha: string, keyCount: number, ...rest: string[]) => {
      scripts.count += 1
      return main.evalsha(sha, keyCount, ...rest)
    },
  }
  return {
    scripts,
    store: redisRetryStore(counting, { prefix, subscriber, flushInterval: 20, timeout: 2_000 }),
  }
}

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('never happened')
}

describe.skipIf(!REDIS_SERVER).each(['node-redis', 'ioredis'] as const)(
  'with a subscriber, on %s',
  (flavour) => {
    it('asks Redis once for a key, then answers from memory: no round trip for a call with nothing held back', async () => {
      const { scripts, store } = await replica(flavour, `${flavour}:quiet:`)
      // No budget: the counts are flushed by a script of their own (the last test is about them).
      // Until its subscription holds, and once per key, the store asks Redis; then never again.
      await eventually(async () => {
        const sent = scripts.count
        expect(await store.admit('http://q.test', false)).toBeNull()
        return scripts.count === sent
      })
      const afterSync = scripts.count
      for (let i = 0; i < 10; i++) expect(await store.admit('http://q.test', false)).toBeNull()
      expect(scripts.count).toBe(afterSync)
    })

    it("pushes one replica's cooldown to the others, which answer with it from memory", async () => {
      const prefix = `${flavour}:pushed:`
      const [one, two] = [await replica(flavour, prefix), await replica(flavour, prefix)]
      // Once two listens and has synced the key, its admits make no round trip.
      await eventually(async () => {
        const sent = two.scripts.count
        await two.store.admit('http://p.test', false)
        return two.scripts.count === sent
      })
      const before = two.scripts.count
      await one.store.coolDown('http://p.test', { status: 429, ms: 5_000 })
      // Two learns of the cooldown with no round trip of its own: it was pushed.
      await eventually(async () => (await two.store.admit('http://p.test', false)) !== null)
      expect(await two.store.admit('http://p.test', false)).toMatchObject({ status: 429 })
      expect(two.scripts.count).toBe(before)
    })

    it('a replica that starts after a cooldown was set learns of it on its first call', async () => {
      const prefix = `${flavour}:late:`
      const early = await replica(flavour, prefix)
      await early.store.coolDown('http://l.test', { status: 503, ms: 5_000 })
      const late = await replica(flavour, prefix)
      expect(await late.store.admit('http://l.test', budget)).toMatchObject({ status: 503 })
    })

    it('sends the requests it counted to Redis, so that the shared budget sees them', async () => {
      const prefix = `${flavour}:counts:`
      const { store } = await replica(flavour, prefix)
      for (let i = 0; i < 6; i++) await store.admit('http://c.test', budget)
      await eventually(async () => {
        const keys = await inspector.keys(`${prefix}{http://c.test}:q:*`)
        const counts = await Promise.all(keys.map((key) => inspector.get(key)))
        return counts.reduce((sum, count) => sum + Number(count), 0) === 6
      })
    })
  },
)

describe('the subscriber options', () => {
  it('are checked', () => {
    const redis = { eval: async () => 1 }
    expect(() => redisRetryStore(redis, { subscriber: {} as never })).toThrow(/"redisRetryStore subscriber"/)
    expect(() => redisRetryStore(redis, { flushInterval: 0 })).toThrow(/"flushInterval"/)
  })
})
