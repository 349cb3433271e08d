/**
 * The adaptive concurrency policy in a client: calls over the limit queue or are refused, say so
 * in the result and in `meta`, and the limit follows what the upstream's answers tell it.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConcurrencyEvent } from '../../src/diagnostics.ts'
import { createClient } from '../../src/index.ts'
import type { FetchFunction } from '../../src/transport.ts'

afterEach(() => {
  vi.useRealTimers()
})

/** A fetch that holds each request until the test lets it answer. */
function heldFetch() {
  const held: (() => void)[] = []
  const fetch: FetchFunction = (url, init) =>
    new Promise((resolve, reject) => {
      held.push(() => resolve(new Response(new URL(String(url)).pathname)))
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true })
    })
  return { fetch, held }
}

/** Listens to `name` while `run` runs. */
async function listening<T>(name: string, run: (heard: T[]) => Promise<void>): Promise<void> {
  const heard: T[] = []
  const listen = (message: unknown) => heard.push(message as T)
  subscribe(name, listen)
  try {
    await run(heard)
  } finally {
    unsubscribe(name, listen)
  }
}

describe('adaptiveConcurrency', () => {
  it('refuses a call past the limit and its queue: concurrency-limited, the limit in meta', async () => {
    const { fetch, held } = heldFetch()
    // A new key probes at half its initial limit: one call at a time here.
    const client = createClient({
      fetch,
      retry: false,
      adaptiveConcurrency: { initialConcurrent: 2, maxQueued: 0 },
    })
    const first = client.get('http://a.test/first')
    await vi.waitFor(() => expect(held).toHaveLength(1))
    const refused = await client.get('http://a.test/second')
    expect(refused).toMatchObject({ kind: 'refused', reason: 'concurrency-limited', retryAfter: null })
    expect(refused.meta).toMatchObject({ attempts: [], concurrency: { key: 'http://a.test', limit: 1 } })
    // Another origin has a limit of its own.
    const other = client.get('http://b.test/')
    await vi.waitFor(() => expect(held).toHaveLength(2))
    for (const answer of held) answer()
    expect(await first).toMatchObject({ kind: 'success', meta: { concurrency: { key: 'http://a.test' } } })
    expect((await other).kind).toBe('success')
  })

  it('queues as many calls as the limit by default, in order, each wait told', async () => {
    await listening<{ policy: string }>('fetchkind:policy:wait', async (waits) => {
      const { fetch, held } = heldFetch()
      const client = createClient({ fetch, retry: false, adaptiveConcurrency: { initialConcurrent: 2 } })
      const calls = ['/1', '/2', '/3'].map((path) => client.get(`http://a.test${path}`))
      await vi.waitFor(() => expect(held).toHaveLength(1))
      expect(await client.get('http://a.test/4')).toMatchObject({
        kind: 'refused',
        reason: 'concurrency-limited',
      })
      const order: string[] = []
      for (const call of calls)
        void call.then((result) => result.kind === 'success' && order.push(String(result.data)))
      for (let answered = 0; answered < 3; answered++) {
        await vi.waitFor(() => expect(held.length).toBeGreaterThan(answered))
        held[answered]?.()
      }
      await Promise.all(calls)
      expect(order).toEqual(['/1', '/2', '/3'])
      expect(waits.map(({ policy }) => policy)).toEqual(['concurrency', 'concurrency'])
    })
  })

  it('lets a queued call go when its caller aborts, and keeps its place for the next', async () => {
    const { fetch, held } = heldFetch()
    const client = createClient({ fetch, retry: false, adaptiveConcurrency: { initialConcurrent: 2 } })
    const first = client.get('http://a.test/first')
    await vi.waitFor(() => expect(held).toHaveLength(1))
    const controller = new AbortController()
    const gaveUp = client.get('http://a.test/gave-up', { signal: controller.signal })
    const next = client.get('http://a.test/next')
    controller.abort(new Error('gave up'))
    expect(await gaveUp).toMatchObject({ kind: 'aborted' })
    held[0]?.()
    await first
    await vi.waitFor(() => expect(held).toHaveLength(2))
    held[1]?.()
    expect(await next).toMatchObject({ kind: 'success', data: '/next' })
  })

  it('lowers the limit as the upstream queues, and tells fetchkind:concurrency', async () => {
    vi.useFakeTimers()
    await listening<ConcurrencyEvent>('fetchkind:concurrency', async (moves) => {
      // An upstream that serves one request every 5 ms, 20 ms away: more than 5 at once queue.
      let free = 0
      let inFlight = 0
      let busiest = 0
      const fetch: FetchFunction = () => {
        inFlight += 1
        busiest = Math.max(busiest, inFlight)
        const now = performance.now()
        free = Math.max(now + 10, free) + 5
        return new Promise((resolve) =>
          setTimeout(
            () => {
              inFlight -= 1
              resolve(new Response('ok'))
            },
            free + 10 - now,
          ),
        )
      }
      const client = createClient({ fetch, retry: false, adaptiveConcurrency: true })
      let last: Awaited<ReturnType<typeof client.get>> | undefined
      let stop = false
      // Forty callers, each calling again as soon as it is answered or refused.
      const callers = Array.from({ length: 40 }, async () => {
        while (!stop) {
          last = await client.get('http://queue.test/')
          if (last.kind === 'refused') await new Promise((resolve) => setTimeout(resolve, 5))
        }
      })
      await vi.advanceTimersByTimeAsync(8_000)
      stop = true
      await vi.advanceTimersByTimeAsync(1_000)
      await Promise.all(callers)
      const settled = moves.at(-1)?.limit as number
      // Knee: 25 ms a round trip ÷ 5 ms a request = 5 in flight before any queue.
      expect(settled).toBeGreaterThanOrEqual(4)
      expect(settled).toBeLessThanOrEqual(10)
      expect(moves.at(-1)).toMatchObject({ key: 'http://queue.test', url: new URL('http://queue.test/') })
      expect(last?.meta.concurrency).toEqual({ key: 'http://queue.test', limit: settled })
      // Never more in flight than the initial limit: it only came down from there.
      expect(busiest).toBeLessThanOrEqual(20)
    })
  })

  it('checks its options at the client', () => {
    const bad = [
      { minConcurrent: 0 },
      { maxConcurrent: 1.5 },
      { minConcurrent: 10, maxConcurrent: 5 },
      { initialConcurrent: 50, maxConcurrent: 10 },
      { maxQueued: -1 },
      { key: 'origin' },
      { maxConcurent: 5 },
    ]
    for (const options of bad) {
      expect(() => createClient({ adaptiveConcurrency: options as never })).toThrow(TypeError)
    }
    expect(() => createClient({ adaptiveConcurrency: 'yes' as never })).toThrow(/adaptiveConcurrency/)
    // An initial limit beyond a lower maximum follows the maximum.
    expect(() => createClient({ adaptiveConcurrency: { maxConcurrent: 5 } })).not.toThrow()
  })

  it('is kept by extend, and turned off by adaptiveConcurrency: false', async () => {
    const { fetch, held } = heldFetch()
    const parent = createClient({
      fetch,
      retry: false,
      adaptiveConcurrency: { initialConcurrent: 2, maxQueued: 0 },
    })
    const child = parent.extend({ headers: { 'x-child': '1' } })
    const free = parent.extend({ adaptiveConcurrency: false })
    // Each to a path of its own: the cache would have the same GETs wait for one answer.
    // The child shares its parent's limit: the parent's call in flight fills it.
    const first = parent.get('http://a.test/1')
    await vi.waitFor(() => expect(held).toHaveLength(1))
    expect(await child.get('http://a.test/2')).toMatchObject({ kind: 'refused' })
    const unlimited = [free.get('http://a.test/3'), free.get('http://a.test/4')]
    await vi.waitFor(() => expect(held).toHaveLength(3))
    for (const answer of held) answer()
    await Promise.all([first, ...unlimited])
    expect((await unlimited[1])?.meta.concurrency).toBeNull()
  })
})
