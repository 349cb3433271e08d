import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient, deadlineLeft, type Result, withDeadline } from '../../src/index.ts'
import type { FetchFunction } from '../../src/transport.ts'
import { hangingFetch, scriptedFetch, status } from '../support/fake-fetch.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** A fetch that answers after `ms`, or rejects when its signal aborts first, as fetch does. */
function slowFetch(ms: number): FetchFunction {
  return (_input, init) =>
    new Promise((resolve, reject) => {
      const signal = init.signal as AbortSignal
      const timer = setTimeout(() => resolve(Response.json({ late: true })), ms)
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer)
          reject(signal.reason)
        },
        { once: true },
      )
    })
}

describe('withDeadline', () => {
  it('tells the time left inside it, after an await too, and nothing outside', async () => {
    expect(deadlineLeft()).toBeNull()
    const seen = withDeadline(1_000, async () => {
      const first = deadlineLeft()
      await new Promise((resolve) => setTimeout(resolve, 400))
      return [first, deadlineLeft()]
    })
    await vi.advanceTimersByTimeAsync(400)
    expect(await seen).toEqual([1_000, 600])
    expect(deadlineLeft()).toBeNull()
  })

  it('a scope opened inside a nearer one ends no later than it; a nearer one inside a longer one is its own', () => {
    withDeadline(500, () => {
      expect(withDeadline(5_000, () => deadlineLeft())).toBe(500)
      expect(withDeadline(100, () => deadlineLeft())).toBe(100)
    })
  })

  it('refuses a timeout that is no number of milliseconds, or nothing to run', () => {
    for (const bad of [-1, Number.NaN, '100', null]) {
      expect(() => withDeadline(bad as number, () => 1)).toThrow(TypeError)
    }
    expect(() => withDeadline(100, undefined as unknown as () => void)).toThrow(TypeError)
  })
})

describe('a call in a deadline scope', () => {
  it('ends by the scope when it is nearer than its own total, as an inherited total timeout', async () => {
    const client = createClient({ fetch: hangingFetch, retry: false })
    const pending = withDeadline(200, () => client.get('http://slow.test/'))
    await vi.advanceTimersByTimeAsync(199)
    let settled = false
    void pending.then(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'total', limit: 200, inherited: true })
  })

  it('keeps its own deadline when that is nearer, not inherited', async () => {
    const client = createClient({ fetch: hangingFetch, retry: false, timeout: { total: 100 } })
    const pending = withDeadline(5_000, () => client.get('http://slow.test/'))
    await vi.advanceTimersByTimeAsync(100)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'total', limit: 100, inherited: false })
  })

  it('bounds a call with no deadline of its own', async () => {
    const client = createClient({ fetch: hangingFetch, retry: false, timeout: false })
    const pending = withDeadline(300, () => client.get('http://slow.test/'))
    await vi.advanceTimersByTimeAsync(300)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'total', limit: 300, inherited: true })
  })

  it('sends nothing once the scope has passed', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const client = createClient({ fetch })
    const result = await withDeadline(100, async () => {
      await vi.advanceTimersByTimeAsync(150)
      return client.get('http://late.test/')
    })
    expect(result).toMatchObject({ kind: 'timeout', phase: 'total', limit: 0, inherited: true })
    expect(result.meta.attempts).toEqual([])
    expect(requests).toHaveLength(0)
  })

  it('`deadline: { inherit: false }` lets a call outlive the scope it was made in', async () => {
    const client = createClient({ fetch: slowFetch(500), retry: false })
    const pending = withDeadline(100, () => client.get('http://slow.test/', { deadline: { inherit: false } }))
    await vi.advanceTimersByTimeAsync(500)
    expect(await pending).toMatchObject({ kind: 'success', data: { late: true } })
  })

  it("a retry's wait keeps to the scope: no retry is waited for past it", async () => {
    const { fetch, requests } = scriptedFetch(status(503, { 'retry-after': '1' }), status(200))
    const client = createClient({ fetch, retry: { limit: 2 } })
    const pending = withDeadline(400, () => client.get('http://busy.test/'))
    await vi.advanceTimersByTimeAsync(1_000)
    const result = await pending
    // The second attempt would have come at 1 s: the scope had ended by then.
    expect(requests).toHaveLength(1)
    // The retry policy stops at once, the wait Retry-After asks for not fitting in the time left;
    // or, where p-retry was still loading as the clock moved, the scope ends the call at 400 ms.
    if (result.kind === 'server-error') expect(result.meta.retryStop).toBe('deadline')
    else expect(result).toMatchObject({ kind: 'timeout', phase: 'total', limit: 400, inherited: true })
  })

  it('no call in a scope outlives it, whatever its own deadlines, retries and the upstream (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2_000 }),
        fc.oneof(fc.constant(false as const), fc.integer({ min: 1, max: 3_000 })),
        fc.oneof(fc.constant(false as const), fc.integer({ min: 1, max: 3_000 })),
        fc.integer({ min: 0, max: 4_000 }),
        fc.integer({ min: 0, max: 3 }),
        async (scope, total, attempt, upstream, retries) => {
          const client = createClient({
            fetch: slowFetch(upstream),
            timeout: { total, attempt },
            retry: { limit: retries, backoff: { initial: 50, jitter: 'none' } },
          })
          const started = Date.now()
          let ended: number | null = null
          const pending = withDeadline(scope, () => client.get('http://any.test/')).then((result: Result) => {
            ended = Date.now()
            return result
          })
          await vi.advanceTimersByTimeAsync(scope)
          await vi.advanceTimersByTimeAsync(0)
          // Ended by the scope's deadline, not later: nothing more was waited for.
          expect(ended).not.toBeNull()
          const result = await pending
          expect((ended as unknown as number) - started).toBeLessThanOrEqual(scope)
          if (result.kind === 'timeout' && result.phase === 'total' && result.inherited) {
            expect(result.limit).toBe(scope)
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('the time left sent downstream', () => {
  it("each attempt sends the time it has left, the nearer of its own and the call's, in whole milliseconds", async () => {
    const { fetch, requests } = scriptedFetch(status(503), status(200))
    const client = createClient({
      fetch,
      timeout: { attempt: 10_000, total: false },
      retry: { limit: 1, backoff: { initial: 100, jitter: 'none' } },
      deadline: { header: 'X-Request-Timeout-Ms' },
    })
    const pending = withDeadline(1_000, () => client.get('http://down.test/'))
    await vi.advanceTimersByTimeAsync(500)
    expect((await pending).kind).toBe('success')
    expect(requests.map((request) => request.headers.get('x-request-timeout-ms'))).toEqual(['1000', '900'])
  })

  it("in gRPC's form under grpc-timeout, and the attempt's own limit where it is nearer", async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const client = createClient({ fetch, timeout: { attempt: 250 }, deadline: { header: 'grpc-timeout' } })
    await client.get('http://grpc.test/')
    expect(requests[0]?.headers.get('grpc-timeout')).toBe('250m')
  })

  it('sends none where nothing bounds the call, and none unless asked', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    await createClient({ fetch, timeout: false, deadline: { header: 'x-timeout' } }).get('http://a.test/')
    await withDeadline(1_000, () => createClient({ fetch }).get('http://a.test/'))
    expect(
      requests.map((request) => [...request.headers.keys()].filter((name) => name.includes('timeout'))),
    ).toEqual([[], []])
  })

  it('a request turns it off, or names another', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const client = createClient({ fetch, deadline: { header: 'x-timeout' } })
    await client.get('http://a.test/', { deadline: { header: false } })
    await client.get('http://a.test/', { deadline: { header: 'x-budget' } })
    expect(requests[0]?.headers.has('x-timeout')).toBe(false)
    expect(requests[1]?.headers.has('x-timeout')).toBe(false)
    expect(requests[1]?.headers.get('x-budget')).toBe('10000')
  })
})

describe('the deadline option', () => {
  it('is checked: a header name, no header the transport owns, a boolean inherit, no misspelling', () => {
    expect(() => createClient({ deadline: { header: 'bad header' } })).toThrow(/deadline\.header/)
    expect(() => createClient({ deadline: { header: 'content-length' } })).toThrow(TypeError)
    expect(() => createClient({ deadline: { inherit: 'yes' as unknown as boolean } })).toThrow(
      /deadline\.inherit/,
    )
    expect(() => createClient({ deadline: { inheirt: true } as never })).toThrow(/deadline\.inherit/)
    expect(() => createClient({ deadline: 5 as never })).toThrow(/deadline/)
  })
})
