/**
 * The resilience policies in a client, against a real loopback origin: the circuit breaker, the
 * rate limit and the bulkhead each refuse before anything is sent, say so in the result and in
 * `meta`, and key their state as the caller says.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { BreakerEvent } from '../../src/diagnostics.ts'
import { byOriginAndCredential, createClient } from '../../src/index.ts'
import { MemoryPolicyStore } from '../../src/stores.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin
const requests: string[] = []
const held: (() => void)[] = []
let quotaHeaders: Record<string, string> = {}

beforeAll(async () => {
  origin = await startOrigin({
    '/down': (request, response) => {
      requests.push(`down ${request.headers.authorization ?? ''}`)
      response.writeHead(503).end()
    },
    '/up': (request, response) => {
      requests.push(`up ${request.headers.authorization ?? ''}`)
      response.writeHead(200, { 'content-type': 'text/plain' }).end('up')
    },
    '/slow': (_request, response) => {
      requests.push('slow')
      held.push(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('slow'))
    },
    '/fresh': (_request, response) => {
      requests.push('fresh')
      response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' }).end('fresh')
    },
    '/quota': (_request, response) => {
      requests.push('quota')
      response.writeHead(200, { 'content-type': 'text/plain', ...quotaHeaders }).end('quota')
    },
    '/busy': (request, response) => {
      requests.push(`busy ${request.headers.authorization ?? ''}`)
      response.writeHead(429, { 'retry-after': '30' }).end()
    },
  })
})

afterAll(() => origin.stop())

afterEach(() => {
  vi.useRealTimers()
  requests.length = 0
})

const breaker = { minimumThroughput: 3, failureRatio: 0.5, breakDuration: 5_000, samplingDuration: 30_000 }

describe('circuitBreaker', () => {
  it('opens after failures and refuses calls before sending: kind refused, circuit-open, with retryAfter', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const client = createClient({ baseUrl: origin.url, circuitBreaker: breaker, retry: false, cache: false })
    for (let i = 0; i < 3; i++) expect((await client.get('/down')).kind).toBe('server-error')
    const refused = await client.get('/up')
    expect(refused).toMatchObject({
      kind: 'refused',
      ok: false,
      reason: 'circuit-open',
      retryAfter: { ms: 5_000 },
      meta: { attempts: [], breaker: { key: origin.url, state: 'open' } },
    })
    expect(requests).toEqual(['down ', 'down ', 'down '])
  })

  it("counts in the retry budget only the requests it let go: a refused call's count is given back (issue 43)", async () => {
    const store = new MemoryPolicyStore()
    const counted = { admitted: 0, unsent: 0 }
    const spy = Object.assign(Object.create(store) as MemoryPolicyStore, {
      admit: (...args: Parameters<MemoryPolicyStore['admit']>) => {
        counted.admitted += 1
        return store.admit(...args)
      },
      unsent: (...args: Parameters<NonNullable<MemoryPolicyStore['unsent']>>) => {
        counted.unsent += 1
        store.unsent(...args)
      },
    })
    const client = createClient({
      baseUrl: origin.url,
      circuitBreaker: breaker,
      retry: { limit: 0, store: spy },
      cache: false,
    })
    for (let i = 0; i < 3; i++) expect((await client.get('/down')).kind).toBe('server-error')
    for (let i = 0; i < 20; i++) expect((await client.get('/down')).kind).toBe('refused')
    expect(requests).toHaveLength(3)
    expect(counted).toEqual({ admitted: 23, unsent: 20 })
  })

  it('after the break lets a probe through; its success closes the breaker', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const events: BreakerEvent[] = []
    const listen = (event: unknown) => events.push(event as BreakerEvent)
    subscribe('fetchkind:breaker', listen)
    try {
      const client = createClient({
        baseUrl: origin.url,
        circuitBreaker: breaker,
        retry: false,
        cache: false,
      })
      for (let i = 0; i < 3; i++) await client.get('/down')
      vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 6))
      const probe = await client.get('/up')
      expect(probe).toMatchObject({ kind: 'success' })
      expect(probe.meta.breaker).toEqual({
        key: origin.url,
        state: 'closed',
        transitions: [
          { from: 'open', to: 'half-open' },
          { from: 'half-open', to: 'closed' },
        ],
      })
      expect(events.map(({ from, to }) => `${from}→${to}`)).toEqual([
        'closed→open',
        'open→half-open',
        'half-open→closed',
      ])
    } finally {
      unsubscribe('fetchkind:breaker', listen)
    }
  })

  it("counts each retry as an attempt, and a breaker that opens mid-call refuses the call's next attempt", async () => {
    const client = createClient({
      baseUrl: origin.url,
      circuitBreaker: { ...breaker, minimumThroughput: 2 },
      retry: { limit: 5, backoff: { initial: 0, max: 0 }, budget: false },
      cache: false,
    })
    const result = await client.get('/down')
    expect(result).toMatchObject({ kind: 'refused', reason: 'circuit-open' })
    expect(result.meta.attempts.map((attempt) => attempt.status)).toEqual([503, 503])
    expect(requests).toHaveLength(2)
  })

  it('a cache hit spends nothing: the breaker never sees it', async () => {
    const client = createClient({ baseUrl: origin.url, circuitBreaker: true, retry: false })
    expect((await client.get('/fresh')).meta.breaker).toMatchObject({ state: 'closed', transitions: [] })
    const hit = await client.get('/fresh')
    expect(hit.meta).toMatchObject({ cache: 'hit', breaker: null })
    expect(requests).toEqual(['fresh'])
  })

  it("a client made by extend shares its parent's breakers, unless given a breaker of its own", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const parent = createClient({ baseUrl: origin.url, circuitBreaker: breaker, retry: false, cache: false })
    for (let i = 0; i < 3; i++) await parent.get('/down')
    expect(await parent.extend({ headers: { 'x-child': '1' } }).get('/up')).toMatchObject({ kind: 'refused' })
    expect(await parent.extend({ circuitBreaker: breaker }).get('/up')).toMatchObject({ kind: 'success' })
    expect(await parent.extend({ circuitBreaker: false }).get('/up')).toMatchObject({
      kind: 'success',
      meta: { breaker: null },
    })
  })

  it('keeps a breaker per key: one tenant failing holds back no other', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const client = createClient({
      baseUrl: origin.url,
      circuitBreaker: { ...breaker, key: byOriginAndCredential('test secret') },
      retry: false,
      cache: false,
    })
    for (let i = 0; i < 3; i++) await client.get('/down', { headers: { authorization: 'Bearer tenant-a' } })
    expect(await client.get('/up', { headers: { authorization: 'Bearer tenant-a' } })).toMatchObject({
      kind: 'refused',
    })
    const other = await client.get('/up', { headers: { authorization: 'Bearer tenant-b' } })
    expect(other).toMatchObject({ kind: 'success' })
    // The key carries a keyed hash of the credential, never the credential.
    expect(other.meta.breaker?.key).toMatch(new RegExp(`^${origin.url} [\\w-]{22}$`))
    expect(JSON.stringify(other.meta)).not.toContain('tenant-b')
  })
})

describe('rateLimit', () => {
  it('refuses past its burst with the time of the next turn, every attempt counted', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const client = createClient({
      baseUrl: origin.url,
      rateLimit: { limit: 2, interval: 60_000, maxWait: 0 },
      retry: false,
      cache: false,
    })
    expect((await client.get('/up')).kind).toBe('success')
    expect((await client.get('/up')).kind).toBe('success')
    expect(await client.get('/up')).toMatchObject({
      kind: 'refused',
      reason: 'rate-limited',
      retryAfter: { ms: 30_000 },
    })
    expect(requests).toHaveLength(2)
  })

  it('a call waits for its turn within maxWait, then goes', async () => {
    const client = createClient({
      baseUrl: origin.url,
      rateLimit: { limit: 1, interval: 50, burst: 1, maxWait: 5_000 },
      retry: false,
      cache: false,
    })
    const [first, second] = await Promise.all([client.get('/up'), client.get('/up')])
    expect([first.kind, second.kind]).toEqual(['success', 'success'])
    expect(requests).toHaveLength(2)
  })

  it('is a TypeError without a limit when it may not learn one', () => {
    expect(() => createClient({ rateLimit: { learn: false } })).toThrow(/"rateLimit.limit"/)
    expect(() => createClient({ rateLimit: { limit: 0 } })).toThrow(/"rateLimit.limit"/)
  })

  it.each([
    ['the RateLimit field', { ratelimit: 'limit=10, remaining=0, reset=30' }],
    ['the structured RateLimit field', { ratelimit: '"default";r=0;t=30' }],
    ['X-RateLimit-Remaining and -Reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' }],
  ])(
    'learns from %s that the quota is spent, and holds the next calls back until its reset',
    async (_name, headers) => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
      quotaHeaders = headers
      const client = createClient({ baseUrl: origin.url, rateLimit: true, retry: false, cache: false })
      expect(await client.get('/quota')).toMatchObject({ kind: 'success' })
      expect(await client.get('/quota')).toMatchObject({
        kind: 'refused',
        reason: 'rate-limited',
        retryAfter: { ms: 30_000 },
      })
      expect(requests).toEqual(['quota'])
      vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 30))
      expect(await client.get('/quota')).toMatchObject({ kind: 'success' })
    },
  )

  it('learns from a 429 the wait it asks for; learn: false keeps to the limit given', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const learning = createClient({ baseUrl: origin.url, rateLimit: true, retry: false, cache: false })
    await learning.get('/busy')
    expect(await learning.get('/up')).toMatchObject({ kind: 'refused', reason: 'rate-limited' })
    const deaf = createClient({
      baseUrl: origin.url,
      rateLimit: { limit: 100, learn: false },
      retry: false,
      cache: false,
    })
    await deaf.get('/busy')
    expect(await deaf.get('/up')).toMatchObject({ kind: 'success' })
  })
})

describe('toFetch()', () => {
  it('rejects a refused call as fetch rejects a network failure, the reason as its cause code', async () => {
    const fetch = createClient({
      baseUrl: origin.url,
      rateLimit: { limit: 1, interval: 60_000, maxWait: 0 },
      cache: false,
    }).toFetch()
    expect((await fetch(`${origin.url}/up`)).status).toBe(200)
    const refused = await fetch(`${origin.url}/up`).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(TypeError)
    expect(refused).toMatchObject({ message: 'fetch failed', cause: { code: 'rate-limited' } })
  })
})

describe('rateLimit.store', () => {
  it('shares one limit between the clients of a store; a quota one learns holds the others back', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const store = new MemoryPolicyStore()
    const make = () =>
      createClient({
        baseUrl: origin.url,
        rateLimit: { limit: 2, interval: 60_000, maxWait: 0, store },
        retry: false,
        cache: false,
      })
    const [one, two] = [make(), make()]
    expect((await one.get('/up')).kind).toBe('success')
    expect((await two.get('/up')).kind).toBe('success')
    expect(await one.get('/up')).toMatchObject({ kind: 'refused', reason: 'rate-limited' })
    quotaHeaders = { ratelimit: 'limit=10, remaining=0, reset=30' }
    const learner = createClient({ baseUrl: origin.url, rateLimit: { store }, retry: false, cache: false })
    await learner.get('/quota')
    const other = createClient({ baseUrl: origin.url, rateLimit: { store }, retry: false, cache: false })
    expect(await other.get('/quota')).toMatchObject({ kind: 'refused', retryAfter: { ms: 30_000 } })
  })

  it('a store that fails leaves the client its own limit, and meta says so', async () => {
    const failing = {
      take: () => Promise.reject(new Error('redis down')),
      hold: () => Promise.reject(new Error('redis down')),
    }
    const client = createClient({
      baseUrl: origin.url,
      rateLimit: { limit: 1, interval: 60_000, maxWait: 0, store: failing },
      retry: false,
      cache: false,
    })
    const first = await client.get('/up')
    expect(first).toMatchObject({ kind: 'success' })
    expect(first.meta.storeFallbacks).toEqual([
      { store: 'rate-limit', operation: 'take', error: 'redis down' },
    ])
    expect(await client.get('/up')).toMatchObject({ kind: 'refused', reason: 'rate-limited' })
  })
})

describe('circuitBreaker.store', () => {
  const shared = (store: MemoryPolicyStore | object) =>
    createClient({
      baseUrl: origin.url,
      circuitBreaker: { ...breaker, store: store as MemoryPolicyStore },
      retry: false,
      cache: false,
    })

  it("one client's breaker opening opens the others' at once, for the same break", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const store = new MemoryPolicyStore()
    const [one, two] = [shared(store), shared(store)]
    for (let i = 0; i < 3; i++) await one.get('/down')
    vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 1))
    const refused = await two.get('/up')
    expect(refused).toMatchObject({
      kind: 'refused',
      reason: 'circuit-open',
      retryAfter: { ms: 4_000 },
      meta: { attempts: [], breaker: { state: 'open' } },
    })
    expect(requests).toEqual(['down ', 'down ', 'down '])
  })

  it('a client made during the break asks the store on its first call, and refuses', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const store = new MemoryPolicyStore()
    const one = shared(store)
    for (let i = 0; i < 3; i++) await one.get('/down')
    vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 2))
    expect(await shared(store).get('/up')).toMatchObject({
      kind: 'refused',
      retryAfter: { ms: 3_000 },
      meta: { breaker: { transitions: [{ from: 'closed', to: 'open' }] } },
    })
    expect(requests).toEqual(['down ', 'down ', 'down '])
  })

  it('after the break one probe goes for all the clients; its success closes every breaker', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const store = new MemoryPolicyStore()
    const [one, two, three] = [shared(store), shared(store), shared(store)]
    for (let i = 0; i < 3; i++) await one.get('/down')
    vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 6))
    const probe = two.get('/slow')
    await vi.waitFor(() => expect(requests).toContain('slow'))
    // While the probe is out, the others wait for it rather than send probes of their own.
    expect(await three.get('/up')).toMatchObject({ kind: 'refused', reason: 'circuit-open' })
    expect(await one.get('/up')).toMatchObject({ kind: 'refused', reason: 'circuit-open' })
    held.shift()?.()
    expect(await probe).toMatchObject({ kind: 'success', meta: { breaker: { state: 'closed' } } })
    expect(await three.get('/up')).toMatchObject({ kind: 'success', meta: { breaker: { transitions: [] } } })
    expect(await one.get('/up')).toMatchObject({ kind: 'success' })
    expect(requests.slice(3)).toEqual(['slow', 'up ', 'up '])
  })

  it("a failed probe opens every client's breaker for another break", async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const store = new MemoryPolicyStore()
    const [one, two] = [shared(store), shared(store)]
    for (let i = 0; i < 3; i++) await one.get('/down')
    vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 6))
    expect(await two.get('/down')).toMatchObject({
      kind: 'server-error',
      meta: { breaker: { state: 'open' } },
    })
    vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 7))
    expect(await one.get('/up')).toMatchObject({ kind: 'refused', retryAfter: { ms: 4_000 } })
    expect(requests).toEqual(['down ', 'down ', 'down ', 'down '])
  })

  it('a store that fails leaves each client its own breaker, and meta says so', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2026, 10, 30, 12) })
    const down = () => Promise.reject(new Error('redis down'))
    const failing = { watch: () => () => {}, openFor: down, opened: down, closed: down, claimProbe: down }
    const [one, two] = [shared(failing), shared(failing)]
    for (let i = 0; i < 2; i++) await one.get('/down')
    const opening = await one.get('/down')
    expect(opening.meta.storeFallbacks).toEqual([
      { store: 'breaker', operation: 'open', error: 'redis down' },
    ])
    expect(await one.get('/up')).toMatchObject({ kind: 'refused' })
    expect(await two.get('/up')).toMatchObject({ kind: 'success' })
    vi.setSystemTime(Date.UTC(2026, 10, 30, 12, 0, 6))
    const probe = await one.get('/up')
    expect(probe).toMatchObject({ kind: 'success', meta: { breaker: { state: 'closed' } } })
    expect(probe.meta.storeFallbacks.map(({ operation }) => operation)).toEqual(['claim', 'close'])
  })

  it('is a TypeError when not a breaker store', () => {
    expect(() => shared({ opened: () => {} })).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        message: expect.stringContaining(
          '"circuitBreaker.store" must be a store with watch, openFor, opened, closed and claimProbe',
        ),
      }),
    )
  })
})

describe('bulkhead', () => {
  it('refuses a call past maxConcurrent at once, and takes calls again once one ends', async () => {
    const client = createClient({
      baseUrl: origin.url,
      bulkhead: { maxConcurrent: 1 },
      retry: false,
      cache: false,
    })
    const slow = client.get('/slow')
    await vi.waitFor(() => expect(held).toHaveLength(1))
    expect(await client.get('/up')).toMatchObject({
      kind: 'refused',
      reason: 'bulkhead-full',
      retryAfter: null,
    })
    held.shift()?.()
    expect(await slow).toMatchObject({ kind: 'success', data: 'slow' })
    expect(await client.get('/up')).toMatchObject({ kind: 'success' })
  })

  it('queues up to maxQueued, in order; a queued call ends by its own deadline', async () => {
    const client = createClient({
      baseUrl: origin.url,
      bulkhead: { maxConcurrent: 1, maxQueued: 1 },
      retry: false,
      cache: false,
    })
    const slow = client.get('/slow')
    await vi.waitFor(() => expect(held).toHaveLength(1))
    const queued = client.get('/up')
    expect(await client.get('/up')).toMatchObject({ kind: 'refused', reason: 'bulkhead-full' })
    held.shift()?.()
    expect((await slow).kind).toBe('success')
    expect((await queued).kind).toBe('success')

    const blocking = client.get('/slow')
    await vi.waitFor(() => expect(held).toHaveLength(1))
    const gaveUp = await client.get('/up', { signal: AbortSignal.abort('gave up') })
    expect(gaveUp).toMatchObject({ kind: 'aborted' })
    held.shift()?.()
    await blocking
  })

  it('tells fetchkind:policy:wait of a queued turn, and never of a turn given at once, however slow the loop', async () => {
    const waits: string[] = []
    const listen = (message: unknown) => waits.push((message as { policy: string }).policy)
    subscribe('fetchkind:policy:wait', listen)
    try {
      const client = createClient({
        baseUrl: origin.url,
        bulkhead: { maxConcurrent: 1, maxQueued: 1 },
        retry: false,
        cache: false,
      })
      // The event loop stalls between the free slot's grant and the call taking it: still no wait.
      queueMicrotask(() => {
        const until = performance.now() + 5
        while (performance.now() < until);
      })
      expect((await client.get('/up')).kind).toBe('success')
      expect(waits).toEqual([])
      const slow = client.get('/slow')
      await vi.waitFor(() => expect(held).toHaveLength(1))
      const queued = client.get('/up')
      held.shift()?.()
      await Promise.all([slow, queued])
      expect(waits).toEqual(['bulkhead'])
    } finally {
      unsubscribe('fetchkind:policy:wait', listen)
    }
  })
})

describe('retry.key', () => {
  it("keeps cooldowns and budgets per key: one tenant's 429 holds back no other", async () => {
    const store = new MemoryPolicyStore()
    const client = createClient({
      baseUrl: origin.url,
      retry: { store, key: byOriginAndCredential('test secret'), maxRetryAfter: 1_000 },
      cache: false,
    })
    const busy = await client.get('/busy', { headers: { authorization: 'Bearer tenant-a' } })
    expect(busy).toMatchObject({ kind: 'client-error', status: 429 })
    // Tenant A is held back by its own cooldown: nothing sent.
    const heldBack = await client.get('/up', { headers: { authorization: 'Bearer tenant-a' } })
    expect(heldBack).toMatchObject({ kind: 'client-error', status: 429, meta: { cooldown: { sent: false } } })
    const other = await client.get('/up', { headers: { authorization: 'Bearer tenant-b' } })
    expect(other).toMatchObject({ kind: 'success', meta: { cooldown: null } })
    expect(requests).toEqual(['busy Bearer tenant-a', 'up Bearer tenant-b'])
  })

  it('a key function that throws ends the call as hook-error, hook key', async () => {
    const thrown = new Error('no tenant')
    const client = createClient({
      baseUrl: origin.url,
      circuitBreaker: {
        key: () => {
          throw thrown
        },
      },
    })
    expect(await client.get('/up')).toMatchObject({ kind: 'hook-error', hook: 'key', error: thrown })
  })
})
