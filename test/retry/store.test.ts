/**
 * The shared retry store (`retry.store`) as the retry stage uses it: cooldowns that one client's
 * 429 or 503 sets for every client, one budget across clients, and a store that fails or hangs.
 * Two clients sharing a MemoryPolicyStore stand for two replicas sharing Redis
 * (test/redis/replicas.test.ts runs the real thing, in three processes).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import { MAX_COOLDOWN } from '../../src/retry/limits.ts'
import { type CacheStore, type Cooldown, MemoryPolicyStore, type RetryStore } from '../../src/stores.ts'
import type { FetchFunction } from '../../src/transport.ts'
import { settle } from '../support/fake-clock.ts'
import { hangingFetch, scriptedFetch, status } from '../support/fake-fetch.ts'

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 12, 0, 0) })
})
afterEach(() => {
  vi.useRealTimers()
})

const url = 'http://replicas.test/resource'
const exact = { backoff: { initial: 100, max: 10_000, factor: 2, jitter: 'none' }, budget: false } as const

/** Two clients — two replicas — on one origin and one store. */
function replicas(fetch: FetchFunction, store: RetryStore, retry: object = {}) {
  const make = () => createClient({ fetch, retry: { ...exact, store, ...retry } })
  return [make(), make()] as const
}

/** A store whose every operation rejects, as a Redis that is down does. */
const brokenStore: RetryStore = {
  admit: async () => {
    throw new Error('store down')
  },
  withdraw: async () => {
    throw new Error('store down')
  },
  coolDown: async () => {
    throw new Error('store down')
  },
}

describe('the cooldown one client sets for every client', () => {
  it("holds back another client's request until the Retry-After has passed", async () => {
    const { fetch, requests } = scriptedFetch(status(429, { 'retry-after': '2' }), status(200))
    const [first, second] = replicas(fetch, new MemoryPolicyStore(), { limit: 0 })
    const limited = await first.get(url)
    expect(limited).toMatchObject({ kind: 'client-error', status: 429 })

    const pending = second.get(url)
    await vi.advanceTimersByTimeAsync(1999)
    expect(requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    const result = await pending
    expect(requests).toHaveLength(2)
    expect(result).toMatchObject({ kind: 'success', meta: { cooldown: { ms: 2000, sent: true } } })
  })

  it('a 503 with Retry-After holds back too, when the caller takes one as evidence; one without it does not', async () => {
    const { fetch, requests } = scriptedFetch(
      status(503),
      status(200),
      status(503, { 'retry-after': '1' }),
      status(200),
    )
    const [first, second] = replicas(fetch, new MemoryPolicyStore(), {
      limit: 0,
      cooldown503: { responses: 1 },
    })
    await first.get(url)
    expect((await second.get(url)).meta.cooldown).toBeNull()
    await first.get(url)
    const pending = second.get(url)
    await vi.advanceTimersByTimeAsync(999)
    expect(requests).toHaveLength(3)
    expect(await settle(pending)).toMatchObject({ kind: 'success', meta: { cooldown: { ms: 1000 } } })
  })

  it('a cooldown longer than maxRetryAfter sends nothing and answers with the status the origin gave', async () => {
    const { fetch, requests } = scriptedFetch(status(429, { 'retry-after': '120' }))
    const [first, second] = replicas(fetch, new MemoryPolicyStore())
    await first.get(url)
    vi.setSystemTime(Date.now() + 30_000)
    const result = await second.get(url)
    expect(requests).toHaveLength(1)
    expect(result).toMatchObject({
      kind: 'client-error',
      status: 429,
      statusText: 'Too Many Requests',
      // No body, as an empty answer with no content type reads with responseType 'auto'.
      data: new Uint8Array(0),
      meta: { attempts: [], retryStop: 'max-retry-after', cooldown: { ms: 90_000, sent: false } },
    })
    if (result.kind !== 'client-error') throw new Error('narrowing')
    expect(result.retryAfter?.ms).toBe(90_000)
  })

  it('a cooldown past the total deadline sends nothing either', async () => {
    const { fetch, requests } = scriptedFetch(status(503, { 'retry-after': '10' }))
    const store = new MemoryPolicyStore()
    await createClient({ fetch, retry: { store, limit: 0, cooldown503: { responses: 1 } } }).get(url)
    const result = await createClient({ fetch, retry: { store }, timeout: { total: 5000 } }).get(url)
    expect(requests).toHaveLength(1)
    expect(result).toMatchObject({
      kind: 'server-error',
      status: 503,
      meta: { retryStop: 'deadline', cooldown: { sent: false } },
    })
  })

  it('a caller who aborts during the wait gets aborted at once', async () => {
    const { fetch, requests } = scriptedFetch(status(429, { 'retry-after': '5' }))
    const [first, second] = replicas(fetch, new MemoryPolicyStore(), { limit: 0 })
    await first.get(url)
    const controller = new AbortController()
    const pending = second.get(url, { signal: controller.signal })
    await vi.advanceTimersByTimeAsync(1000)
    controller.abort(new Error('caller left'))
    expect(await pending).toMatchObject({ kind: 'aborted', meta: { attempts: [] } })
    expect(requests).toHaveLength(1)
  })

  it("a retry waits for another client's longer cooldown, and says so", async () => {
    const { fetch } = scriptedFetch(status(503), status(200))
    const store = new MemoryPolicyStore()
    await store.coolDown('http://replicas.test', { status: 429, ms: 3000 })
    // This client's first attempt was sent before the cooldown began: set it after admission.
    const admit = store.admit.bind(store)
    let admitted = 0
    const lateStore: RetryStore = {
      admit: (origin, budget) => (admitted++ === 0 ? Promise.resolve(null) : admit(origin, budget)),
      withdraw: store.withdraw.bind(store),
      coolDown: store.coolDown.bind(store),
    }
    const result = await settle(createClient({ fetch, retry: { ...exact, store: lateStore } }).get(url))
    expect(result.kind).toBe('success')
    expect(result.meta.attempts[0]).toMatchObject({ status: 503, delay: 3000, delayReason: 'cooldown' })
  })

  it('waits again when another cooldown follows the first, up to limit + 1 waits', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const store = new MemoryPolicyStore()
    const refusedAgain: RetryStore = {
      admit: async (origin, budget) => {
        // Each time this client asks, another client has just been refused for a second.
        await store.coolDown(origin, { status: 429, ms: 1000 })
        return store.admit(origin, budget)
      },
      withdraw: store.withdraw.bind(store),
      coolDown: store.coolDown.bind(store),
    }
    const result = await settle(
      createClient({ fetch, retry: { ...exact, store: refusedAgain, limit: 1 } }).get(url),
    )
    expect(requests).toHaveLength(0)
    expect(result).toMatchObject({
      kind: 'client-error',
      status: 429,
      meta: { retryStop: 'limit', cooldown: { ms: 3000, sent: false } },
    })
  })

  it('calls answered during a cooldown spend no budget: they sent nothing', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const store = new MemoryPolicyStore()
    const budget = { ratio: 1, minPerSecond: 0, window: 600_000 }
    const client = createClient({
      fetch,
      retry: { backoff: exact.backoff, budget, store, maxRetryAfter: 1000 },
    })
    await store.coolDown('http://replicas.test', { status: 503, ms: 60_000 })
    for (let i = 0; i < 5; i++) expect((await client.get(url)).meta.attempts).toEqual([])
    vi.setSystemTime(Date.now() + 60_000)
    await settle(client.get(url))
    // One request sent, so a ratio of 1 allows one retry — not six.
    expect(requests).toHaveLength(2)
  })

  it('one Retry-After sets a cooldown of at most five minutes for the others', async () => {
    const { fetch } = scriptedFetch(status(503, { 'retry-after': '86400' }))
    const store = new MemoryPolicyStore()
    await createClient({ fetch, retry: { store, cooldown503: { responses: 1 } } }).get(url)
    expect(await store.admit('http://replicas.test', false)).toEqual({ status: 503, ms: MAX_COOLDOWN })
  })

  it('by default a 503 sets a cooldown only once three agree within ten seconds, from any client', async () => {
    const { fetch } = scriptedFetch(status(503, { 'retry-after': '30' }))
    const store = new MemoryPolicyStore()
    const clients = [1, 2, 3].map(() => createClient({ fetch, retry: { store, limit: 0 } }))
    await clients[0]?.get(url)
    await clients[1]?.get(url)
    expect(await store.admit('http://replicas.test', false)).toBeNull()
    await clients[2]?.get(url)
    expect(await store.admit('http://replicas.test', false)).toEqual({ status: 503, ms: 30_000 })
  })

  it('503s further apart than the window are no evidence together', async () => {
    const { fetch } = scriptedFetch(status(503, { 'retry-after': '30' }))
    const store = new MemoryPolicyStore()
    const client = createClient({
      fetch,
      retry: { store, limit: 0, cooldown503: { responses: 2, window: 1_000 } },
    })
    await client.get(url)
    vi.setSystemTime(Date.now() + 1_500)
    await client.get(url)
    expect(await store.admit('http://replicas.test', false)).toBeNull()
    await client.get(url)
    expect(await store.admit('http://replicas.test', false)).toMatchObject({ status: 503 })
  })

  it('retry.cooldown503 is checked', () => {
    expect(() => createClient({ retry: { cooldown503: { responses: 0 } } })).toThrow(
      /"retry.cooldown503.responses"/,
    )
    expect(() => createClient({ retry: { cooldown503: { window: -1 } } })).toThrow(
      /"retry.cooldown503.window"/,
    )
  })

  it('a 429 sets the cooldown even when this call does not retry 429s', async () => {
    const { fetch } = scriptedFetch(status(429, { 'retry-after': '3' }))
    const store = new MemoryPolicyStore()
    const result = await createClient({ fetch, retry: { store, statusCodes: [503] } }).get(url)
    expect(result.meta.attempts).toHaveLength(1)
    expect(await store.admit('http://replicas.test', false)).toEqual({ status: 429, ms: 3000 })
  })

  it('a request with retry: false neither waits for a cooldown nor sets one', async () => {
    const { fetch, requests } = scriptedFetch(status(429, { 'retry-after': '3' }))
    const store = new MemoryPolicyStore()
    const client = createClient({ fetch, retry: { store } })
    await store.coolDown('http://other.test', { status: 503, ms: 5000 })
    const unpoliced = await client.get('http://other.test/x', { retry: false })
    expect(unpoliced.meta).toMatchObject({ attempts: [{ status: 429 }], cooldown: null })
    expect(requests).toHaveLength(1)
    await client.get(url, { retry: false })
    expect(await store.admit('http://replicas.test', false)).toBeNull()
  })

  it('a longer cooldown already running is kept', async () => {
    const store = new MemoryPolicyStore()
    await store.coolDown('http://a.test', { status: 429, ms: 5000 })
    await store.coolDown('http://a.test', { status: 503, ms: 1000 })
    expect(await store.admit('http://a.test', false)).toEqual({ status: 429, ms: 5000 })
    expect(await store.admit('http://b.test', false)).toBeNull()
    vi.setSystemTime(Date.now() + 5000)
    expect(await store.admit('http://a.test', false)).toBeNull()
  })
})

describe('one retry budget across clients', () => {
  it('clients that share a store share one budget; apart, each has its own', async () => {
    const budget = { ratio: 0, minPerSecond: 0.2, window: 10_000 }
    const retriesOf = async (store: RetryStore | undefined) => {
      const { fetch, requests } = scriptedFetch(status(503))
      const clients = Array.from({ length: 3 }, () =>
        createClient({ fetch, retry: { backoff: exact.backoff, budget, ...(store ? { store } : {}) } }),
      )
      for (const client of clients) await settle(client.get(url))
      return requests.length - clients.length
    }
    // A floor of 0.2 retries a second over 10 s: two retries, for all three clients together.
    expect(await retriesOf(new MemoryPolicyStore())).toBe(2)
    expect(await retriesOf(undefined)).toBe(6)
  })
})

describe('a store that fails', () => {
  it('goes on with the local budget and no cooldown, and meta says what failed', async () => {
    const { fetch, requests } = scriptedFetch(status(429, { 'retry-after': '1' }), status(200))
    const result = await settle(createClient({ fetch, retry: { ...exact, store: brokenStore } }).get(url))
    expect(result.kind).toBe('success')
    expect(requests).toHaveLength(2)
    expect(result.meta.storeFallbacks).toEqual([
      { store: 'retry', operation: 'admit', error: 'store down' },
      { store: 'retry', operation: 'cool-down', error: 'store down' },
      { store: 'retry', operation: 'admit', error: 'store down' },
    ])
  })

  it("falls back to the client's own budget when withdrawing fails", async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const budget = { ratio: 0, minPerSecond: 0.1, window: 10_000 }
    const client = createClient({ fetch, retry: { backoff: exact.backoff, budget, store: brokenStore } })
    const result = await settle(client.get(url))
    // The floor: one retry in the window, from the client's own budget.
    expect(requests).toHaveLength(2)
    expect(result.meta.retryStop).toBe('budget')
    expect(result.meta.storeFallbacks.map(({ operation }) => operation)).toContain('withdraw')
  })

  it('a store that never answers does not hold the call past its deadline', async () => {
    const silent: RetryStore = {
      admit: () => new Promise<Cooldown | null>(() => {}),
      withdraw: () => new Promise<boolean>(() => {}),
      coolDown: () => new Promise<void>(() => {}),
    }
    const client = createClient({ fetch: hangingFetch, retry: { store: silent }, timeout: { total: 1000 } })
    const result = await settle(client.get(url))
    expect(result).toMatchObject({ kind: 'timeout', phase: 'total' })
    expect(result.meta.storeFallbacks).toMatchObject([{ store: 'retry', operation: 'admit' }])
  })

  it('a cache store that fails is a miss, noted too', async () => {
    const failing: CacheStore = {
      get: async () => {
        throw new Error('cache down')
      },
      set: async () => {
        throw new Error('cache down')
      },
      delete: async () => {},
    }
    const { fetch } = scriptedFetch(() =>
      Response.json({ ok: true }, { headers: { 'cache-control': 'max-age=60' } }),
    )
    const result = await createClient({ fetch, cache: { store: failing } }).get(url)
    expect(result).toMatchObject({ kind: 'success', meta: { cache: 'miss' } })
    expect(result.meta.storeFallbacks).toEqual([
      { store: 'cache', operation: 'get', error: 'cache down' },
      { store: 'cache', operation: 'set', error: 'cache down' },
    ])
  })

  it('a store that answers leaves storeFallbacks empty', async () => {
    const { fetch } = scriptedFetch(status(200))
    const result = await createClient({ fetch, retry: { store: new MemoryPolicyStore() } }).get(url)
    expect(result.meta).toMatchObject({ storeFallbacks: [], cooldown: null })
  })
})

describe('retry.store', () => {
  it.each([null, 'redis', {}, { admit() {}, withdraw() {} }])('rejects %o, naming the option', (store) => {
    expect(() => createClient({ retry: { store: store as unknown as RetryStore } })).toThrow(
      /retry\.store.*admit, withdraw and coolDown/,
    )
  })
})
