/**
 * The Redis stores against a real redis-server on a loopback port, one operation at a time.
 * test/redis/replicas.test.ts runs them as a service would: three processes, one Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cacheKey } from '../../src/cache/credentials.ts'
import { toEntry } from '../../src/cache/entry.ts'
import { newHead } from '../../src/cache/head.ts'
import { createClient } from '../../src/index.ts'
import { redisCacheStore, redisPolicyStore } from '../../src/redis.ts'
import type { CacheEntry, RetryStore } from '../../src/stores.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import {
  closeClient,
  connectIoredis,
  connectIovalkey,
  connectRedis,
  connectRedis5,
  REDIS_SERVER,
  type RedisClient,
  RedisServer,
  requireRedisServer,
} from '../support/redis-server.ts'

requireRedisServer('test/redis/stores.test.ts')

let server: RedisServer
/** node-redis 6 to look into Redis with; each store is tested on every client in CLIENTS. */
let inspector: RedisClient
let origin: LoopbackOrigin
let limitedRequests = 0

beforeAll(async () => {
  if (!REDIS_SERVER) return
  server = await RedisServer.start()
  inspector = await connectRedis(server.port)
  origin = await startOrigin({
    '/doc': (_request, response) => {
      response.writeHead(200, { etag: '"d1"', 'cache-control': 'no-cache' }).end('doc')
    },
    '/languages': (request, response) => {
      const language = request.headers['accept-language'] ?? 'none'
      response
        .writeHead(200, {
          vary: 'Accept-Language',
          'cache-control': 'max-age=60',
          'content-language': language,
        })
        .end(`in ${language}`)
    },
    '/limited': (_request, response) => {
      limitedRequests += 1
      response.writeHead(429, { 'retry-after': '30' }).end()
    },
  })
}, 20_000)

afterAll(async () => {
  inspector?.destroy()
  await server?.stop()
  await origin?.stop()
})

function entry(body: Uint8Array, cacheControl: string, etag?: string): CacheEntry {
  const now = Date.now()
  const headers = new Headers({ 'cache-control': cacheControl, date: new Date(now).toUTCString() })
  if (etag) headers.set('etag', etag)
  return toEntry(newHead(headers, now, now), { status: 200, statusText: 'OK' }, body, {}, '')
}

const budget = { ratio: 0.5, minPerSecond: 0.2, window: 10_000 }

/** The node-redis majors the optional peer dependency allows, and ioredis and iovalkey. */
const CLIENTS = {
  'node-redis 6': connectRedis,
  'node-redis 5': connectRedis5,
  ioredis: connectIoredis,
  iovalkey: connectIovalkey,
}

describe.skipIf(!REDIS_SERVER).each(Object.keys(CLIENTS) as (keyof typeof CLIENTS)[])('on %s', (version) => {
  /** The client under test, as the stores take it: node-redis, or ioredis-shaped. */
  let connection: Parameters<typeof redisCacheStore>[0] & Parameters<typeof redisPolicyStore>[0]
  // Each version's keys apart, so that one's counts are not in the other's window.
  const prefix = (name: string) => `${version}:${name}:`
  // A store timeout well above a busy CI machine's slowest Redis answer: these tests are about
  // what the stores keep, not about a slow Redis (the last test is).
  const keys = (name: string) => ({ prefix: prefix(name), timeout: 2000 })
  beforeAll(async () => {
    connection = (await CLIENTS[version](server.port)) as never
  })
  afterAll(() => connection && closeClient(connection as never))

  describe('redisCacheStore', () => {
    it('keeps an entry whole, bodies binary-safe, under its prefix', async () => {
      const store = redisCacheStore(connection, keys('a'))
      const body = new Uint8Array(Array.from({ length: 256 }, (_, i) => i))
      await store.set('http://x.test/a', entry(body, 'max-age=60'))
      const back = await store.get('http://x.test/a')
      expect(back?.body && Array.from(back.body)).toEqual(Array.from(body))
      expect(back?.status).toBe(200)
      expect(await inspector.exists(`${prefix('a')}http://x.test/a`)).toBe(1)
      await store.delete('http://x.test/a')
      expect(await store.get('http://x.test/a')).toBeUndefined()
    })

    it('keeps a body as its bytes, not base64, and still reads an entry written as base64 JSON', async () => {
      const store = redisCacheStore(connection, keys('bytes'))
      const body = new Uint8Array(30_000).fill(7)
      await store.set('http://x.test/b', entry(body, 'max-age=60'))
      const size = await inspector.strLen(`${prefix('bytes')}http://x.test/b`)
      // The body, a head of a few hundred bytes and a length: base64 alone would be 40 000.
      expect(size).toBeGreaterThan(30_000)
      expect(size).toBeLessThan(32_000)
      const { body: _, ...head } = entry(new Uint8Array([1, 2, 3]), 'max-age=60')
      const legacy = { entry: head, body: Buffer.from([1, 2, 3]).toString('base64') }
      await inspector.pSetEx(`${prefix('bytes')}http://x.test/old`, 60_000, JSON.stringify(legacy))
      const old = await store.get('http://x.test/old')
      expect(old?.body && Array.from(old.body)).toEqual([1, 2, 3])
    })

    it('reads an entry 0.1 wrote, its head as `policy` and its hash as `credentials`, under their new names', async () => {
      const store = redisCacheStore(connection, keys('renamed'))
      const { body: _, head, credentialHash, ...rest } = entry(new Uint8Array([4, 5]), 'max-age=60')
      const written = { entry: { ...rest, policy: head, credentials: credentialHash }, body: 'BAU=' }
      await inspector.pSetEx(`${prefix('renamed')}http://x.test/r`, 60_000, JSON.stringify(written))
      const back = await store.get('http://x.test/r')
      expect(back?.head).toEqual(head)
      expect(back?.credentialHash).toBe(credentialHash)
      expect(back?.body && Array.from(back.body)).toEqual([4, 5])
      expect(back && 'policy' in back).toBe(false)
    })

    it('expires an entry with its freshness, or after validatorTtl when a 304 can renew it', async () => {
      const store = redisCacheStore(connection, { ...keys('ttl'), validatorTtl: 3_600_000 })
      await store.set('fresh', entry(new Uint8Array(1), 'max-age=60'))
      await store.set('validated', entry(new Uint8Array(1), 'max-age=0', '"e"'))
      await store.set('neither', entry(new Uint8Array(1), 'max-age=0'))
      const fresh = await inspector.pTTL(`${prefix('ttl')}fresh`)
      expect(fresh).toBeGreaterThan(50_000)
      expect(fresh).toBeLessThanOrEqual(60_000)
      expect(await inspector.pTTL(`${prefix('ttl')}validated`)).toBeGreaterThan(3_500_000)
      expect(await inspector.exists(`${prefix('ttl')}neither`)).toBe(0)
    })

    it('declines an entry over maxEntrySize', async () => {
      const store = redisCacheStore(connection, { ...keys('size'), maxEntrySize: 100 })
      await store.set('big', entry(new Uint8Array(500), 'max-age=60'))
      expect(await store.get('big')).toBeUndefined()
    })

    it("keeps one URL's variants side by side, and replicas find each other's", async () => {
      const replica = () =>
        createClient({
          retry: false,
          cache: { store: redisCacheStore(connection, keys('variants')), singleFlight: false },
        })
      const [one, two] = [replica(), replica()]
      const url = `${origin.url}/languages`
      const ask = (client: ReturnType<typeof replica>, language: string) =>
        client.get(url, { headers: { 'accept-language': language }, responseType: 'text' })
      await ask(one, 'en')
      await ask(two, 'de')
      expect(await ask(two, 'en')).toMatchObject({ data: 'in en', meta: { cache: 'hit' } })
      expect(await ask(one, 'DE')).toMatchObject({ data: 'in de', meta: { cache: 'hit' } })
      // The URL's key and one key per variant, under the prefix, each with a TTL.
      const stored = await inspector.keys(`${prefix('variants')}*`)
      expect(stored).toHaveLength(3)
      for (const key of stored) expect(await inspector.pTTL(key)).toBeGreaterThan(50_000)
    })

    it('a value under its prefix that is not an entry is a miss the call notes, not a crash', async () => {
      await inspector.set(`${prefix('junk')}${cacheKey(new URL(`${origin.url}/doc`))}`, '{"hello":1}')
      const client = createClient({ cache: { store: redisCacheStore(connection, keys('junk')) } })
      const result = await client.get(`${origin.url}/doc`)
      expect(result).toMatchObject({ kind: 'success', meta: { cache: 'miss' } })
      expect(result.meta.storeFallbacks[0]).toMatchObject({ store: 'cache', operation: 'get' })
    })
  })

  describe('redisPolicyStore', () => {
    it('a cooldown is a Redis TTL: every store on the same Redis sees it, and a shorter one does not replace it', async () => {
      const [one, two] = [
        redisPolicyStore(connection, keys('cool')),
        redisPolicyStore(connection, keys('cool')),
      ]
      await one.coolDown('http://a.test', { status: 429, ms: 5000 })
      await two.coolDown('http://a.test', { status: 503, ms: 1000 })
      const seen = await two.admit('http://a.test', false)
      expect(seen?.status).toBe(429)
      expect(seen?.ms).toBeGreaterThan(4000)
      expect(await one.admit('http://b.test', false)).toBeNull()
      expect(await inspector.pTTL(`${prefix('cool')}{http://a.test}:cooldown`)).toBeGreaterThan(4000)
    })

    it('with evidence, a cooldown is set only once enough stores saw the response within the window', async () => {
      const stores = [0, 1, 2].map(() => redisPolicyStore(connection, keys('evidence')))
      const evidence = { responses: 3, window: 10_000 }
      await stores[0]?.coolDown('http://e.test', { status: 503, ms: 5000 }, evidence)
      await stores[1]?.coolDown('http://e.test', { status: 503, ms: 5000 }, evidence)
      expect(await stores[2]?.admit('http://e.test', false)).toBeNull()
      await stores[2]?.coolDown('http://e.test', { status: 503, ms: 5000 }, evidence)
      expect(await stores[0]?.admit('http://e.test', false)).toMatchObject({ status: 503 })
      // The count expires with its window: nothing of it is left for long.
      expect(await inspector.pTTL(`${prefix('evidence')}{http://e.test}:seen:503`)).toBeLessThanOrEqual(
        10_000,
      )
    })

    it("a rate limit holds exactly under racing replicas, on Redis's clock; a hold stops every turn", async () => {
      const stores = Array.from({ length: 5 }, () => redisPolicyStore(connection, keys('turns')))
      const settings = { limit: 5, interval: 60_000, burst: 5 }
      const grants = await Promise.all(
        Array.from({ length: 40 }, (_, i) => stores[i % 5]?.take('http://r.test', settings, 0)),
      )
      expect(grants.filter((grant) => grant?.granted)).toHaveLength(5)
      const refused = grants.find((grant) => grant && !grant.granted)
      expect(refused).toMatchObject({ granted: false })
      // The next turn is 12 s on (60 s ÷ 5), give or take the time the calls took.
      if (refused && !refused.granted) expect(refused.retryIn).toBeGreaterThan(10_000)
      await stores[0]?.hold('http://h2.test', 5_000)
      expect(await stores[1]?.take('http://h2.test', null, 0)).toMatchObject({ granted: false })
      expect(await stores[1]?.take('http://free2.test', null, 0)).toEqual({ granted: true, wait: 0 })
    })

    it('the budget holds exactly under racing replicas: 50 withdrawals at once, the floor allows 2', async () => {
      const stores = Array.from({ length: 5 }, () => redisPolicyStore(connection, keys('race')))
      const floorOnly = { ratio: 0, minPerSecond: 0.2, window: 10_000 }
      const granted = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (stores[i % 5] as RetryStore).withdraw('http://r.test', floorOnly),
        ),
      )
      expect(granted.filter(Boolean)).toHaveLength(2)
    })

    it('requests admitted by any replica raise the budget by the ratio', async () => {
      const store = redisPolicyStore(connection, keys('ratio'))
      for (let i = 0; i < 10; i++) await store.admit('http://q.test', budget)
      const granted = await Promise.all(
        Array.from({ length: 10 }, () => store.withdraw('http://q.test', budget)),
      )
      // max(0.5 × 10, 0.2 × 10) = 5.
      expect(granted.filter(Boolean)).toHaveLength(5)
    })

    it('a request held back by a cooldown is not counted', async () => {
      const store = redisPolicyStore(connection, keys('held'))
      await store.coolDown('http://h.test', { status: 503, ms: 5000 })
      expect(await store.admit('http://h.test', budget)).toMatchObject({ status: 503 })
      expect(await inspector.keys(`${prefix('held')}{http://h.test}:q:*`)).toEqual([])
      expect(await store.admit('http://free.test', budget)).toBeNull()
      expect(await inspector.keys(`${prefix('held')}{http://free.test}:q:*`)).toHaveLength(1)
    })

    it('counts expire with the window', async () => {
      const store = redisPolicyStore(connection, keys('ttl'))
      await store.admit('http://t.test', budget)
      const counts = await inspector.keys(`${prefix('ttl')}{http://t.test}:q:*`)
      expect(counts).toHaveLength(1)
      const ttl = await inspector.pTTL(counts[0] as string)
      expect(ttl).toBeGreaterThan(10_000)
      expect(ttl).toBeLessThanOrEqual(11_000)
    })

    it("a client on the store returns another replica's 429 at once when the wait is past maxRetryAfter", async () => {
      const store = () => redisPolicyStore(connection, keys('client'))
      const before = limitedRequests
      const first = await createClient({ retry: { store: store() } }).get(`${origin.url}/limited`)
      expect(first.meta.attempts).toHaveLength(1)
      const held = await createClient({ retry: { store: store(), maxRetryAfter: 10_000 } }).get(
        `${origin.url}/limited`,
      )
      expect(held).toMatchObject({
        kind: 'client-error',
        status: 429,
        meta: { attempts: [], cooldown: { sent: false } },
      })
      expect(limitedRequests - before).toBe(1)
    })
  })
})

describe('the Redis stores check their options', () => {
  const client = {
    get: async () => null,
    pSetEx: async () => 'OK',
    del: async () => 1,
    eval: async () => null,
  }
  it.each([
    [() => redisCacheStore(null as never), /redisCacheStore\(redis\).*get, pSetEx and del/],
    [() => redisPolicyStore({} as never), /redisPolicyStore\(redis\).*eval/],
    [() => redisCacheStore(client, { prefix: 1 as never }), /prefix.*a string/],
    [() => redisCacheStore(client, { timeout: 0 }), /timeout.*from 1/],
    [() => redisPolicyStore(client, { timeout: Number.NaN }), /timeout/],
    [() => redisCacheStore(client, { maxEntrySize: -1 }), /maxEntrySize/],
    [() => redisCacheStore(client, { validatorTtl: '1d' as never }), /validatorTtl/],
    [() => redisPolicyStore(client, 'fast' as never), /redisPolicyStore options/],
  ])('%#: throws a TypeError naming the option', (make, message) => {
    expect(make).toThrow(TypeError)
    expect(make).toThrow(message)
  })
})

describe.skipIf(!REDIS_SERVER)('with Redis gone', () => {
  it('calls go on uncached and with the local budget, within the store timeout, and meta says so', async () => {
    await server.stop()
    const options = { prefix: 'test:down:', timeout: 50 }
    const api = createClient({
      baseUrl: origin.url,
      cache: { store: redisCacheStore(inspector, options) },
      retry: { store: redisPolicyStore(inspector, options) },
    })
    const started = performance.now()
    const result = await api.get('/doc')
    expect(result).toMatchObject({ kind: 'success', meta: { cache: 'miss' } })
    expect(result.meta.storeFallbacks.map(({ store, operation }) => `${store} ${operation}`)).toEqual([
      'cache get',
      'retry admit',
      'cache set',
    ])
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
