/**
 * Nothing secret is ever written to a cache store: not a token, a cookie, an API key, a
 * Set-Cookie, nor a secret in the query string — checked on everything a spy store is handed,
 * and on every key and value a real Redis holds afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { redisCacheStore } from '../../src/redis.ts'
import { type CacheEntry, type CacheStore, MemoryStore } from '../../src/stores.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { connectRedis, REDIS_SERVER, RedisServer, requireRedisServer } from '../support/redis-server.ts'

requireRedisServer('test/cache/secrets.test.ts')

const SECRETS = {
  authorization: 'Bearer SECRET-TOKEN-1',
  cookie: 'sid=SECRET-COOKIE-1',
  'x-api-key': 'SECRET-APIKEY-1',
  'proxy-authorization': 'Basic SECRET-PROXY-1',
  'x-tenant-secret': 'SECRET-TENANT-1',
}
const OTHER_USER = { ...SECRETS, authorization: 'Bearer SECRET-TOKEN-2' }
const QUERY_SECRET = 'SECRET-QUERY-1'
const SET_COOKIE = 'session=SECRET-SETCOOKIE-1'
/** The stem every secret above shares: none may appear in what is written. */
const SECRET = /SECRET-/

let origin: LoopbackOrigin
let requests = 0

beforeAll(async () => {
  origin = await startOrigin({
    '/profile': (request, response) => {
      requests += 1
      response
        .writeHead(200, {
          'content-type': 'application/json',
          'cache-control': 'private, max-age=60',
          etag: `"p${requests}"`,
          // Every sensitive header in Vary, so that the library would keep them all if given them.
          vary: 'Authorization, Cookie, X-Api-Key, Proxy-Authorization, X-Tenant-Secret, Accept',
          'set-cookie': SET_COOKIE,
        })
        .end(JSON.stringify({ user: request.headers.authorization === SECRETS.authorization ? 1 : 2 }))
    },
  })
})

afterAll(() => origin.stop())

/** A store that keeps the text of every key and entry it is handed. */
function spyStore(): { store: CacheStore; written: string[] } {
  const inner = new MemoryStore()
  const written: string[] = []
  const store: CacheStore = {
    get: (key) => {
      written.push(key)
      return inner.get(key)
    },
    set: (key, entry: CacheEntry) => {
      written.push(key, JSON.stringify({ ...entry, body: Buffer.from(entry.body).toString('latin1') }))
      return inner.set(key, entry)
    },
    delete: (key) => {
      written.push(key)
      return inner.delete(key)
    },
  }
  return { store, written }
}

async function useCache(store: CacheStore) {
  const client = createClient({ cache: { store }, sensitiveHeaders: ['x-tenant-secret'] })
  const url = `${origin.url}/profile?token=${QUERY_SECRET}`
  const first = await client.get(url, { headers: SECRETS })
  const again = await client.get(url, { headers: SECRETS })
  const other = await client.get(url, { headers: OTHER_USER })
  return { first, again, other }
}

describe('what a cache store is handed', () => {
  it('holds no token, cookie, API key, Set-Cookie or query secret, and still serves each user their own', async () => {
    const { store, written } = spyStore()
    const { first, again, other } = await useCache(store)
    expect(first).toMatchObject({ kind: 'success', data: { user: 1 }, meta: { cache: 'miss' } })
    // The live response keeps its Set-Cookie; only the stored copy goes without.
    if (first.kind === 'success') expect(first.headers.get('set-cookie')).toBe(SET_COOKIE)
    expect(again).toMatchObject({ kind: 'success', data: { user: 1 }, meta: { cache: 'hit' } })
    if (again.kind === 'success') expect(again.headers.get('set-cookie')).toBeNull()
    expect(other).toMatchObject({ kind: 'success', data: { user: 2 }, meta: { cache: 'miss' } })
    expect(written.length).toBeGreaterThan(3)
    for (const text of written) expect(text).not.toMatch(SECRET)
  })
})

describe.runIf(REDIS_SERVER)('what a real Redis holds', () => {
  it('no key or value holds a secret', async () => {
    const server = await RedisServer.start()
    const redis = await connectRedis(server.port)
    try {
      const { again } = await useCache(redisCacheStore(redis, { timeout: 5000 }))
      expect(again.meta.cache).toBe('hit')
      const keys = await redis.keys('*')
      expect(keys.length).toBeGreaterThan(0)
      for (const key of keys) {
        expect(key).not.toMatch(SECRET)
        // The head as JSON and the body as its bytes, both read here as text.
        const value = await redis.get(key)
        expect(value).not.toMatch(SECRET)
      }
    } finally {
      redis.destroy()
      await server.stop()
    }
  })
})
