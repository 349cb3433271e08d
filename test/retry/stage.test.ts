import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import type { FetchFunction } from '../../src/transport.ts'
import { settle } from '../support/fake-clock.ts'
import { hangingFetch, networkFailure, scriptedFetch, status } from '../support/fake-fetch.ts'

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 24, 12, 0, 0) })
})
afterEach(() => {
  vi.useRealTimers()
})

const url = 'http://retry.test/resource'
/** Exact waits (no jitter) and no budget, unless a test says otherwise. */
const exact = { backoff: { initial: 100, max: 10_000, factor: 2, jitter: 'none' }, budget: false } as const

describe('statuses and backoff', () => {
  it('a 503, a 503, then a 200 is a success with three attempts in meta', async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(503), status(200))
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(result).toMatchObject({ kind: 'success', status: 200 })
    expect(requests).toHaveLength(3)
    expect(
      result.meta.attempts.map(({ status, delay, delayReason }) => ({ status, delay, delayReason })),
    ).toEqual([
      { status: 503, delay: 100, delayReason: 'backoff' },
      { status: 503, delay: 200, delayReason: 'backoff' },
      { status: 200, delay: 0, delayReason: null },
    ])
    expect(result.meta.retryStop).toBeNull()
  })

  it('waits exactly the backoff between attempts', async () => {
    const { fetch, requests } = scriptedFetch(status(502), status(200))
    const pending = createClient({ fetch, retry: exact }).get(url)
    await vi.advanceTimersByTimeAsync(99)
    expect(requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(requests).toHaveLength(2)
    expect((await pending).kind).toBe('success')
  })

  it.each([429, 502, 503, 504])('retries %i by default', async (code) => {
    const { fetch, requests } = scriptedFetch(status(code), status(200))
    await settle(createClient({ fetch, retry: exact }).get(url))
    expect(requests).toHaveLength(2)
  })

  it.each([400, 404, 500, 501])('does not retry %i by default', async (code) => {
    const { fetch, requests } = scriptedFetch(status(code), status(200))
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(requests).toHaveLength(1)
    expect(result.meta.retryStop).toBeNull()
  })

  it('the final result is the last attempt, classified, with why it was not retried', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(result).toMatchObject({ kind: 'server-error', status: 503, data: { status: 503 } })
    expect(requests).toHaveLength(3)
    expect(result.meta.retryStop).toBe('limit')
    expect(result.meta.attempts.at(-1)).toMatchObject({ delay: 0, delayReason: null })
  })

  it('limit sets the number of retries', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    await settle(createClient({ fetch, retry: { ...exact, limit: 4 } }).get(url))
    expect(requests).toHaveLength(5)
  })

  it('statusCodes replaces the retried statuses', async () => {
    const { fetch, requests } = scriptedFetch(status(500), status(503), status(200))
    const result = await settle(createClient({ fetch, retry: { ...exact, statusCodes: [500] } }).get(url))
    expect(requests).toHaveLength(2)
    expect(result).toMatchObject({ kind: 'server-error', status: 503 })
  })

  it('caps the backoff at max', async () => {
    const { fetch } = scriptedFetch(status(503))
    const retry = {
      ...exact,
      limit: 4,
      backoff: { initial: 100, max: 250, factor: 3, jitter: 'none' },
    } as const
    const result = await settle(createClient({ fetch, retry }).get(url))
    expect(result.meta.attempts.map((attempt) => attempt.delay)).toEqual([100, 250, 250, 250, 0])
  })

  it('full jitter (the default) waits a random share of the backoff', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const { fetch } = scriptedFetch(status(503), status(503), status(200))
    const result = await settle(createClient({ fetch, retry: { budget: false } }).get(url))
    expect(result.meta.attempts.map((attempt) => attempt.delay)).toEqual([150, 300, 0])
  })
})

describe('Retry-After and the rate-limit fields', () => {
  it('waits what Retry-After says in seconds', async () => {
    const { fetch, requests } = scriptedFetch(status(429, { 'retry-after': '2' }), status(200))
    const pending = createClient({ fetch, retry: exact }).get(url)
    await vi.advanceTimersByTimeAsync(1999)
    expect(requests).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    const result = await pending
    expect(result.kind).toBe('success')
    expect(result.meta.attempts[0]).toMatchObject({ delay: 2000, delayReason: 'retry-after' })
  })

  it('waits until an HTTP-date', async () => {
    const date = new Date(Date.now() + 5000).toUTCString()
    const { fetch } = scriptedFetch(status(503, { 'retry-after': date }), status(200))
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(result.meta.attempts[0]).toMatchObject({ delay: 5000, delayReason: 'retry-after' })
  })

  it('retries at once for a date in the past', async () => {
    const { fetch } = scriptedFetch(
      status(503, { 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' }),
      status(200),
    )
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(result.meta.attempts[0]).toMatchObject({ delay: 0, delayReason: 'retry-after' })
  })

  it.each(['-5', '', 'soon', '1.5', 'Sun, 32 Nov 1994 08:49:37 GMT'])(
    'falls back to backoff for a garbage Retry-After %j',
    async (value) => {
      const { fetch } = scriptedFetch(status(503, { 'retry-after': value }), status(200))
      const result = await settle(createClient({ fetch, retry: exact }).get(url))
      expect(result.meta.attempts[0]).toMatchObject({ delay: 100, delayReason: 'backoff' })
    },
  )

  it.each([
    [{ ratelimit: '"default";r=0;t=3' }, 3000],
    [{ ratelimit: 'limit=10, remaining=0, reset=4' }, 4000],
    [{ 'ratelimit-reset': '5' }, 5000],
    [{ 'x-ratelimit-reset': '6' }, 6000],
    [{ 'x-ratelimit-reset': String(Math.floor(Date.UTC(2026, 10, 24, 12, 0, 7) / 1000)) }, 7000],
  ])('without Retry-After, %j gives the wait', async (headers, delay) => {
    const { fetch } = scriptedFetch(status(429, headers), status(200))
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(result.meta.attempts[0]).toMatchObject({ delay, delayReason: 'ratelimit' })
  })

  it('a Retry-After past maxRetryAfter returns at once with retryAfter set', async () => {
    const { fetch, requests } = scriptedFetch(status(429, { 'retry-after': '3600' }), status(200))
    const result = await createClient({ fetch, retry: exact }).get(url)
    expect(requests).toHaveLength(1)
    expect(result).toMatchObject({ kind: 'client-error', status: 429, retryAfter: { ms: 3_600_000 } })
    if (result.kind === 'client-error') expect(result.retryAfter?.at.getTime()).toBe(Date.now() + 3_600_000)
    expect(result.meta.retryStop).toBe('max-retry-after')
  })

  it('maxRetryAfter is configurable', async () => {
    const { fetch, requests } = scriptedFetch(status(503, { 'retry-after': '5' }), status(200))
    const result = await createClient({ fetch, retry: { ...exact, maxRetryAfter: 1000 } }).get(url)
    expect(requests).toHaveLength(1)
    expect(result.meta.retryStop).toBe('max-retry-after')
  })

  it('the rate-limit fields give retryAfter on the result too', async () => {
    const { fetch } = scriptedFetch(status(429, { 'ratelimit-reset': '7200' }))
    const result = await createClient({ fetch, retry: exact }).get(url)
    expect(result).toMatchObject({ kind: 'client-error', retryAfter: { ms: 7_200_000 } })
  })
})

describe('the total deadline and the caller', () => {
  it('a wait that would pass the total deadline is not slept', async () => {
    const { fetch, requests } = scriptedFetch(status(503, { 'retry-after': '20' }), status(200))
    const client = createClient({ fetch, retry: exact, timeout: { total: 10_000 } })
    const result = await client.get(url)
    expect(requests).toHaveLength(1)
    expect(result).toMatchObject({ kind: 'server-error', retryAfter: { ms: 20_000 } })
    expect(result.meta.retryStop).toBe('deadline')
  })

  it('the total deadline bounds attempts and waits together', async () => {
    const slow: FetchFunction = (input, init) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(Response.json({ url: input.href }, { status: 503 })), 400)
        init.signal?.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(init.signal?.reason)
        })
      })
    const retry = {
      ...exact,
      limit: 10,
      backoff: { initial: 300, max: 300, factor: 1, jitter: 'none' },
    } as const
    const result = await settle(createClient({ fetch: slow, retry, timeout: { total: 1500 } }).get(url))
    // Attempts end at 400 and 1100 with a wait of 300 between; the third, started at 1400, is cut at 1500.
    expect(result).toMatchObject({ kind: 'timeout', phase: 'total', limit: 1500 })
    expect(result.meta.attempts.map((attempt) => attempt.status ?? attempt.error)).toEqual([
      503,
      503,
      'timeout',
    ])
    expect(Date.now() - Date.UTC(2026, 10, 24, 12, 0, 0)).toBe(1500)
  })

  it("the caller's abort ends a backoff wait at once", async () => {
    const { fetch, requests } = scriptedFetch(status(503, { 'retry-after': '10' }), status(200))
    const controller = new AbortController()
    const pending = createClient({ fetch, retry: exact }).get(url, { signal: controller.signal })
    await vi.advanceTimersByTimeAsync(1000)
    controller.abort('shutting down')
    const result = await pending
    expect(result).toMatchObject({ kind: 'aborted', reason: 'shutting down' })
    expect(requests).toHaveLength(1)
    expect(result.meta.attempts).toEqual([expect.objectContaining({ status: 503, delay: 10_000 })])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a backoff that would pass the total deadline is not started either', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const retry = { ...exact, backoff: { initial: 900, max: 900, factor: 1, jitter: 'none' } } as const
    const result = await settle(createClient({ fetch, retry, timeout: { total: 1000 } }).get(url))
    // Waits 900 (100 ms to spare), then would wait 900 more with 100 left: returns at once.
    expect(result).toMatchObject({ kind: 'server-error', status: 503 })
    expect(requests).toHaveLength(2)
    expect(result.meta.retryStop).toBe('deadline')
    expect(Date.now() - Date.UTC(2026, 10, 24, 12, 0, 0)).toBe(900)
  })
})

describe('network failures and attempt timeouts', () => {
  it.each(['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'EAI_AGAIN', 'ETIMEDOUT'])(
    'retries %s',
    async (code) => {
      const { fetch, requests } = scriptedFetch(networkFailure(code), status(200))
      const result = await settle(createClient({ fetch, retry: exact }).get(url))
      expect(result.kind).toBe('success')
      expect(requests).toHaveLength(2)
      expect(result.meta.attempts[0]).toMatchObject({
        status: null,
        error: code,
        delay: 100,
        delayReason: 'backoff',
      })
    },
  )

  it.each(['ENOTFOUND', 'CERT_HAS_EXPIRED', 'UNKNOWN'])('does not retry %s', async (code) => {
    const { fetch, requests } = scriptedFetch(networkFailure(code), status(200))
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(result).toMatchObject({ kind: 'network-error', code })
    expect(requests).toHaveLength(1)
  })

  it('networkErrors: false retries none', async () => {
    const { fetch, requests } = scriptedFetch(networkFailure('ECONNRESET'), status(200))
    await settle(createClient({ fetch, retry: { ...exact, networkErrors: false } }).get(url))
    expect(requests).toHaveLength(1)
  })

  it('retries an attempt timeout', async () => {
    let calls = 0
    const fetch: FetchFunction = (input, init) =>
      ++calls === 1 ? hangingFetch(input, init) : Promise.resolve(Response.json({}))
    const result = await settle(createClient({ fetch, retry: exact, timeout: { attempt: 1000 } }).get(url))
    expect(result.kind).toBe('success')
    expect(result.meta.attempts[0]).toMatchObject({ error: 'timeout', delay: 100 })
  })
})

describe('methods and idempotency', () => {
  it('does not retry POST by default, and says why', async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(200))
    const result = await settle(createClient({ fetch, retry: exact }).post(url, { json: {} }))
    expect(requests).toHaveLength(1)
    expect(result.meta.retryStop).toBe('method')
  })

  it.each(['PUT', 'DELETE', 'OPTIONS', 'HEAD'])('retries %s by default', async (method) => {
    const { fetch, requests } = scriptedFetch(status(503), status(204))
    await settle(createClient({ fetch, retry: exact }).request(url, { method }))
    expect(requests).toHaveLength(2)
  })

  it('retries POST when methods lists it', async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(200))
    await settle(createClient({ fetch, retry: { ...exact, methods: ['post'] } }).post(url, { body: 'x' }))
    expect(requests.map((request) => request.body)).toEqual(['x', 'x'])
  })

  it('idempotencyKey: true sends one key, the same on every attempt, and retries the POST', async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(503), status(201))
    const result = await settle(
      createClient({ fetch, retry: exact }).post(url, { json: { a: 1 }, idempotencyKey: true }),
    )
    expect(result).toMatchObject({ kind: 'success', status: 201 })
    const keys = requests.map((request) => request.headers.get('idempotency-key'))
    expect(keys).toHaveLength(3)
    expect(new Set(keys).size).toBe(1)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('each call gets its own key', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const client = createClient({ fetch, retry: exact })
    await client.post(url, { idempotencyKey: true })
    await client.post(url, { idempotencyKey: true })
    expect(requests[0]?.headers.get('idempotency-key')).not.toBe(requests[1]?.headers.get('idempotency-key'))
  })

  it('an Idempotency-Key the caller set is kept and enables the retry', async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(200))
    await settle(
      createClient({ fetch, retry: exact }).patch(url, { headers: { 'idempotency-key': 'order-7' } }),
    )
    expect(requests.map((request) => request.headers.get('idempotency-key'))).toEqual(['order-7', 'order-7'])
  })

  it('a stream body is not retried, and meta says why', async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(200))
    const result = await settle(
      createClient({ fetch, retry: exact }).put(url, { body: new Response('stream').body }),
    )
    expect(requests).toHaveLength(1)
    expect(result.meta.retryStop).toBe('body-not-replayable')
  })
})

describe('hooks', () => {
  it('shouldRetry can retry what the policy would not', async () => {
    const { fetch, requests } = scriptedFetch(status(500), status(200))
    const shouldRetry = vi.fn(() => true)
    await settle(createClient({ fetch, retry: { ...exact, shouldRetry } }).get(url))
    expect(requests).toHaveLength(2)
    expect(shouldRetry).toHaveBeenCalledWith(
      expect.objectContaining({
        attempt: 1,
        retriesLeft: 2,
        status: 500,
        error: null,
        retryable: false,
        method: 'GET',
      }),
    )
  })

  it('shouldRetry can refuse what the policy would retry', async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(200))
    const result = await settle(
      createClient({ fetch, retry: { ...exact, shouldRetry: async () => false } }).get(url),
    )
    expect(requests).toHaveLength(1)
    expect(result.meta.retryStop).toBe('should-retry')
  })

  it('shouldRetry is not asked about a success', async () => {
    const { fetch } = scriptedFetch(status(200))
    const shouldRetry = vi.fn(() => true)
    await settle(createClient({ fetch, retry: { ...exact, shouldRetry } }).get(url))
    expect(shouldRetry).not.toHaveBeenCalled()
  })

  it('onRetry is told each retry before its wait', async () => {
    const { fetch } = scriptedFetch(
      status(429, { 'retry-after': '1' }),
      networkFailure('ECONNRESET'),
      status(200),
    )
    const onRetry = vi.fn()
    await settle(createClient({ fetch, retry: { ...exact, onRetry } }).get(url))
    expect(
      onRetry.mock.calls.map(([notice]) => [
        notice.attempt,
        notice.status,
        notice.error,
        notice.delay,
        notice.delayReason,
      ]),
    ).toEqual([
      [1, 429, null, 1000, 'retry-after'],
      [2, null, 'ECONNRESET', 200, 'backoff'],
    ])
  })

  it('a hook that throws ends the call as hook-error, never a rejection', async () => {
    const boom = new Error('hook failed')
    const throwing = () => {
      throw boom
    }
    for (const hook of ['onRetry', 'shouldRetry'] as const) {
      const { fetch, requests } = scriptedFetch(status(503), status(200))
      const result = await settle(createClient({ fetch, retry: { ...exact, [hook]: throwing } }).get(url))
      expect(result).toMatchObject({ kind: 'hook-error', hook, error: boom })
      expect(requests).toHaveLength(1)
    }
  })
})

describe('per client and per request', () => {
  it('retry: false turns retries off, per client or per request', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    await createClient({ fetch, retry: false }).get(url)
    await createClient({ fetch, retry: exact }).get(url, { retry: false })
    expect(requests).toHaveLength(2)
  })

  it("a request's fields override the client's one by one", async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const client = createClient({ fetch, retry: { ...exact, limit: 5 } })
    await settle(client.get(url, { retry: { limit: 1 } }))
    expect(requests).toHaveLength(2)
  })

  it('retries each redirect hop on its own', async () => {
    const { fetch, requests } = scriptedFetch(
      () => new Response(null, { status: 302, headers: { location: '/next' } }),
      status(503),
      status(200),
    )
    const result = await settle(createClient({ fetch, retry: exact }).get(url))
    expect(result.kind).toBe('success')
    expect(requests.map((request) => request.url)).toEqual([
      url,
      'http://retry.test/next',
      'http://retry.test/next',
    ])
    expect(result.meta.attempts.map((attempt) => attempt.status)).toEqual([302, 503, 200])
  })
})

describe('the retry budget', () => {
  it('holds a full outage to about (1 + ratio) requests per call, not (1 + limit)', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const client = createClient({
      fetch,
      retry: { backoff: exact.backoff, budget: { ratio: 0.2, minPerSecond: 0.5 } },
    })
    const calls = 200
    for (let i = 0; i < calls; i++) await settle(client.get(url))
    // Without the budget: 600 requests. With it: 200, and 0.2 × 200 retries once the ratio rules.
    expect(requests.length).toBeLessThanOrEqual(calls * 1.2)
    expect(requests.length).toBeGreaterThan(calls)
    const last = await settle(client.get(url))
    expect(last.meta.retryStop).toBe('budget')
  })

  it('recovers when the window has passed', async () => {
    const { fetch } = scriptedFetch(status(503))
    const client = createClient({
      fetch,
      retry: { backoff: exact.backoff, budget: { ratio: 0, minPerSecond: 0.2, window: 10_000 } },
    })
    const first = await settle(client.get(url))
    expect(first.meta.attempts).toHaveLength(3)
    const spent = await settle(client.get(url))
    expect(spent.meta.attempts).toHaveLength(1)
    expect(spent.meta.retryStop).toBe('budget')
    await vi.advanceTimersByTimeAsync(11_000)
    expect((await settle(client.get(url))).meta.attempts).toHaveLength(3)
  })

  it('is kept per origin', async () => {
    const { fetch } = scriptedFetch(status(503))
    const client = createClient({
      fetch,
      retry: { backoff: exact.backoff, budget: { ratio: 0, minPerSecond: 0.2 } },
    })
    await settle(client.get(url))
    expect((await settle(client.get(url))).meta.retryStop).toBe('budget')
    expect((await settle(client.get('http://other.test/'))).meta.attempts).toHaveLength(3)
  })

  it('budget: false lets every call use its full limit', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const client = createClient({ fetch, retry: exact })
    for (let i = 0; i < 50; i++) await settle(client.get(url))
    expect(requests).toHaveLength(150)
  })
})
