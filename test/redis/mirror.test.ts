/**
 * The retry store with a subscriber: cooldowns mirrored in memory and pushed over pub/sub, requests
 * counted locally and flushed — no Redis round trip for a call with nothing held back — against a
 * real redis-server, on node-redis and on ioredis.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import { SYNC_INTERVAL } from '../../src/redis/mirror.ts'
import { redisPolicyStore } from '../../src/redis.ts'
import { MAX_COOLDOWN } from '../../src/retry/limits.ts'
import { startOrigin } from '../support/loopback-origin.ts'
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
      store: redisPolicyStore(counting, { prefix, subscriber, flushInterval: 20, timeout: 2_000 }),
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
    store: redisPolicyStore(counting, { prefix, subscriber, flushInterval: 20, timeout: 2_000 }),
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

    it('holds a published cooldown of a day no longer than its own cap, and ends it at the next sync (issue 43)', async () => {
      const prefix = `${flavour}:bogus:`
      const { store } = await replica(flavour, prefix)
      await eventually(async () => {
        await inspector.publish(`${prefix}cooldowns`, '429\n86400000\nhttp://bogus.test')
        return (await store.admit('http://bogus.test', false)) !== null
      })
      const held = await store.admit('http://bogus.test', false)
      expect(held?.ms).toBeLessThanOrEqual(MAX_COOLDOWN)
      expect(held?.ms).toBeGreaterThan(MAX_COOLDOWN - 60_000)
      // Ten seconds on, the key is asked of Redis, which holds no cooldown: the message ends.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + SYNC_INTERVAL + 1 })
      try {
        expect(await store.admit('http://bogus.test', false)).toBeNull()
        expect(await store.admit('http://bogus.test', false)).toBeNull()
      } finally {
        vi.useRealTimers()
      }
    })

    it('sends nothing for requests given back, and nothing at all while nothing is counted (issue 43)', async () => {
      const prefix = `${flavour}:refused:`
      const { scripts, store } = await replica(flavour, prefix)
      await eventually(async () => {
        const sent = scripts.count
        await store.admit('http://r.test', budget)
        return scripts.count === sent
      })
      // Let what the sync counted be flushed first.
      await new Promise((resolve) => setTimeout(resolve, 100))
      const before = scripts.count
      const counts = async () => {
        const keys = await inspector.keys(`${prefix}{http://r.test}:q:*`)
        const values = await Promise.all(keys.map((key) => inspector.get(key)))
        return values.reduce((sum, value) => sum + Number(value), 0)
      }
      const held = await counts()
      // Twenty requests let go, each refused beneath (a breaker), each given back.
      for (let i = 0; i < 20; i++) {
        await store.admit('http://r.test', budget)
        store.unsent?.('http://r.test', budget)
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(scripts.count).toBe(before)
      expect(await counts()).toBe(held)
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

describe.skipIf(!REDIS_SERVER).each(['node-redis', 'ioredis'] as const)(
  'shared circuit breakers, on %s',
  (flavour) => {
    /** A replica's store, and what its breakers hear. */
    async function listening(prefix: string) {
      const replicaStore = await replica(flavour, prefix)
      const heard: string[] = []
      replicaStore.store.watch((key, news) =>
        heard.push(`${key} ${news.state === 'open' ? `open ${news.ms}` : 'closed'}`),
      )
      return { ...replicaStore, heard }
    }

    it("pushes one replica's opening and its probe's success to every replica, itself included", async () => {
      const prefix = `${flavour}:breakers:`
      const [one, two] = [await listening(prefix), await listening(prefix)]
      // The subscriptions hold once a message sent after them arrives.
      await eventually(async () => {
        await one.store.closed('http://warm.test')
        return two.heard.length > 0 && one.heard.length > 0
      })
      const about = (heard: string[]) => heard.filter((news) => news.startsWith('http://b.test'))
      await one.store.opened('http://b.test', 5_000)
      await eventually(async () => about(two.heard).length === 1)
      expect(about(two.heard)).toEqual(['http://b.test open 5000'])
      await two.store.closed('http://b.test')
      await eventually(async () => about(one.heard).length === 2)
      expect(about(one.heard)).toEqual(['http://b.test open 5000', 'http://b.test closed'])
    })

    it("holds a published break of 2^53 ms no longer than the replica's own break (issue 43)", async () => {
      const prefix = `${flavour}:bogus-break:`
      const { store } = await replica(flavour, prefix)
      const origin = await startOrigin({ '/': (_request, response) => response.writeHead(200).end('ok') })
      const client = createClient({ retry: false, circuitBreaker: { store, breakDuration: 300 } })
      const url = `${origin.url}/`
      try {
        await client.get(url)
        await eventually(async () => {
          await inspector.publish(`${prefix}breakers`, `open\n9007199254740991\n${origin.url}`)
          return (await client.get(url)).kind === 'refused'
        })
        await new Promise((resolve) => setTimeout(resolve, 350))
        expect((await client.get(url)).kind).toBe('success')
      } finally {
        await origin.stop()
      }
    })

    it("opens on the fleet's failures: three replicas' few add up to the breaker's minimum (issue 43)", async () => {
      const prefix = `${flavour}:fleet-window:`
      let sent = 0
      let up = true
      const origin = await startOrigin({
        '/': (_request, response) => {
          sent += 1
          response.writeHead(up ? 200 : 503).end()
        },
      })
      const url = `${origin.url}/`
      const settings = { minimumThroughput: 6, failureRatio: 0.5, breakDuration: 2_000 }
      const clients = await Promise.all(
        [1, 2, 3].map(async () => {
          const { store } = await replica(flavour, prefix)
          return createClient({ retry: false, cache: false, circuitBreaker: { ...settings, store } })
        }),
      )
      try {
        // Each replica's successes reach the fleet's window with the next flush.
        for (const client of clients) expect((await client.get(url)).kind).toBe('success')
        await new Promise((resolve) => setTimeout(resolve, 100))
        up = false
        // Six attempts in the window, three failing: half. No replica saw six of its own.
        const failing = await Promise.all(clients.map((client) => client.get(url)))
        expect(failing.map(({ kind }) => kind)).toEqual(['server-error', 'server-error', 'server-error'])
        // The third failure opened the fleet's break on Redis; the news reach every replica.
        expect(await inspector.pTTL(`${prefix}{${origin.url}}:break`)).toBeGreaterThan(0)
        await new Promise((resolve) => setTimeout(resolve, 100))
        const refused = await Promise.all(clients.map((client) => client.get(url)))
        expect(refused.map(({ kind }) => kind)).toEqual(['refused', 'refused', 'refused'])
        expect(sent).toBe(6)
      } finally {
        await origin.stop()
      }
    })

    it('during the break no probe may be claimed; after it, the probes allowed and no more', async () => {
      const prefix = `${flavour}:probes:`
      const [one, two] = [await replica(flavour, prefix), await replica(flavour, prefix)]
      await one.store.opened('http://p.test', 300)
      const during = await two.store.claimProbe('http://p.test', 1, 5_000)
      expect(during).toMatchObject({ claimed: false })
      expect((during as { ms: number }).ms).toBeGreaterThan(0)
      expect((during as { ms: number }).ms).toBeLessThanOrEqual(300)
      await new Promise((resolve) => setTimeout(resolve, 350))
      expect(await two.store.claimProbe('http://p.test', 2, 5_000)).toEqual({ claimed: true })
      expect(await one.store.claimProbe('http://p.test', 2, 5_000)).toEqual({ claimed: true })
      const third = await one.store.claimProbe('http://p.test', 2, 5_000)
      expect(third).toMatchObject({ claimed: false })
      expect((third as { ms: number }).ms).toBeGreaterThan(4_000)
      // A probe's outcome, told, frees the places.
      await two.store.closed('http://p.test')
      expect(await one.store.claimProbe('http://p.test', 1, 5_000)).toEqual({ claimed: true })
    })
  },
)

describe('the subscriber options', () => {
  it('are checked', () => {
    const redis = { eval: async () => 1 }
    expect(() => redisPolicyStore(redis, { subscriber: {} as never })).toThrow(
      /"redisPolicyStore subscriber"/,
    )
    expect(() => redisPolicyStore(redis, { flushInterval: 0 })).toThrow(/"flushInterval"/)
  })

  it('a store without a subscriber cannot share breakers: a TypeError at the client, saying why', () => {
    const store = redisPolicyStore({ eval: async () => 1 })
    expect(() => createClient({ circuitBreaker: { store } })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining('subscriber option') }),
    )
  })
})

describe.skipIf(!REDIS_SERVER)('without a subscriber', () => {
  it("gives back a refused request's count, which its admit counted on Redis (issue 43)", async () => {
    const main = await connectRedis(server.port)
    opened.push(main)
    const prefix = 'unmirrored:refused:'
    const store = redisPolicyStore(main, { prefix, flushInterval: 20, timeout: 2_000 })
    const counts = async () => {
      const keys = await inspector.keys(`${prefix}{http://u.test}:q:*`)
      const values = await Promise.all(keys.map((key) => inspector.get(key)))
      return values.reduce((sum, value) => sum + Number(value), 0)
    }
    for (let i = 0; i < 3; i++) await store.admit('http://u.test', budget)
    expect(await counts()).toBe(3)
    store.unsent?.('http://u.test', budget)
    store.unsent?.('http://u.test', budget)
    await eventually(async () => (await counts()) === 1)
  })
})
