import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import type { FetchFunction } from '../../src/transport.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

interface Sent {
  readonly at: number
  readonly method: string
  aborted: boolean
}

/**
 * A fetch whose nth request answers `answers[n]` (the last repeating): its status after its
 * delay, or never; each request's time and whether its signal aborted are kept.
 */
function timedFetch(...answers: { readonly after: number | null; readonly status?: number }[]) {
  const sent: Sent[] = []
  const fetch: FetchFunction = (_url, init) => {
    const entry: Sent = { at: Date.now(), method: String(init.method), aborted: false }
    const answer = answers[Math.min(sent.length, answers.length - 1)] as (typeof answers)[number]
    sent.push(entry)
    return new Promise((resolve, reject) => {
      const signal = init.signal as AbortSignal
      const timer =
        answer.after === null
          ? undefined
          : setTimeout(
              () => resolve(Response.json({ copy: sent.indexOf(entry) }, { status: answer.status ?? 200 })),
              answer.after,
            )
      signal.addEventListener(
        'abort',
        () => {
          entry.aborted = true
          clearTimeout(timer)
          reject(signal.reason)
        },
        { once: true },
      )
    })
  }
  return { fetch, sent }
}

describe('hedged requests', () => {
  it('send a second copy after the delay; the first answer wins and the other copy is cancelled', async () => {
    const { fetch, sent } = timedFetch({ after: 1_000 }, { after: 10 })
    const client = createClient({ fetch, retry: false, hedge: { delay: 100 } })
    const pending = client.get('http://slow.test/')
    await vi.advanceTimersByTimeAsync(110)
    const result = await pending
    expect(result).toMatchObject({ kind: 'success', data: { copy: 1 } })
    expect(sent.map(({ at, aborted }) => [at - (sent[0] as Sent).at, aborted])).toEqual([
      [0, true],
      [100, false],
    ])
    // Every copy in meta: the one that won, and the one cancelled for it.
    expect(result.meta.attempts.map(({ status, error }) => status ?? error)).toEqual([200, 'aborted'])
  })

  it('send nothing more for an answer that comes before the delay', async () => {
    const { fetch, sent } = timedFetch({ after: 50 })
    const client = createClient({ fetch, retry: false, hedge: { delay: 100 } })
    const pending = client.get('http://fast.test/')
    await vi.advanceTimersByTimeAsync(200)
    expect(await pending).toMatchObject({ kind: 'success' })
    expect(sent).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('send the next copy at once after a failure, and give the first failure back when none is left', async () => {
    const { fetch, sent } = timedFetch({ after: 5, status: 503 }, { after: 5, status: 503 })
    const client = createClient({ fetch, retry: false, hedge: { delay: 1_000, max: 1 } })
    const pending = client.get('http://down.test/')
    await vi.advanceTimersByTimeAsync(20)
    expect(await pending).toMatchObject({ kind: 'server-error', status: 503, data: { copy: 0 } })
    expect(sent.map(({ at }) => at - (sent[0] as Sent).at)).toEqual([0, 5])
  })

  it('hedge only what may be sent twice: idempotent methods, or a request with an Idempotency-Key, with a body that can be sent again', async () => {
    const { fetch, sent } = timedFetch({ after: 1_000 })
    const client = createClient({ fetch, retry: false, timeout: false, hedge: { delay: 100, max: 1 } })
    const calls = [
      client.post('http://x.test/', { json: { a: 1 } }),
      client.post('http://x.test/', { json: { a: 1 }, idempotencyKey: true }),
      client.put('http://x.test/', {
        body: new ReadableStream({
          start(controller) {
            controller.close()
          },
        }),
      }),
      client.delete('http://x.test/'),
    ]
    await vi.advanceTimersByTimeAsync(1_000)
    await Promise.all(calls)
    expect(sent.map(({ method }) => method)).toEqual(['POST', 'POST', 'PUT', 'DELETE', 'POST', 'DELETE'])
  })

  it('wait for 20 answers before a percentile delay sends any copy, then hedge past it', async () => {
    const { fetch, sent } = timedFetch(
      ...Array.from({ length: 20 }, () => ({ after: 10 })),
      { after: 5_000 },
      { after: 10 },
    )
    const client = createClient({ fetch, retry: false, hedge: true })
    for (let call = 0; call < 20; call++) {
      const pending = client.get('http://learn.test/')
      await vi.advanceTimersByTimeAsync(10)
      await pending
    }
    expect(sent).toHaveLength(20)
    const slow = client.get('http://learn.test/')
    await vi.advanceTimersByTimeAsync(20)
    expect(await slow).toMatchObject({ kind: 'success', data: { copy: 21 } })
    // The 95th percentile of answers that took 10 ms: the copy went 10 ms after the first.
    expect((sent[21] as Sent).at - (sent[20] as Sent).at).toBe(10)
  })

  it('stop when the budget is spent: an upstream slow for everyone gets at most the ratio more', async () => {
    const { fetch, sent } = timedFetch({ after: 300 })
    const client = createClient({
      fetch,
      retry: false,
      hedge: { delay: 50, budget: { ratio: 0.05, minPerSecond: 0 } },
    })
    for (let call = 0; call < 200; call++) {
      const pending = client.get('http://slow.test/')
      await vi.advanceTimersByTimeAsync(20)
      // 200 calls over 4 s, in a 10 s window: all of them count.
      await vi.advanceTimersByTimeAsync(300)
      await pending
    }
    expect(sent.length / 200).toBeLessThanOrEqual(1.05)
    expect(sent.length).toBeGreaterThan(200)
  })

  it('the winner is the first usable answer and no more than max copies are sent, whatever the timings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ after: fc.integer({ min: 1, max: 500 }), status: fc.constantFrom(200, 200, 503) }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 3 }),
        async (answers, delay, max) => {
          const { fetch, sent } = timedFetch(...answers)
          const client = createClient({
            fetch,
            retry: false,
            timeout: false,
            hedge: { delay, max, budget: { minPerSecond: 1_000 } },
          })
          const pending = client.get('http://any.test/')
          await vi.advanceTimersByTimeAsync(2_000)
          const result = await pending
          expect(sent.length).toBeLessThanOrEqual(1 + max)
          // Each copy's answer time, from the first copy's send.
          const start = (sent[0] as Sent).at
          const answered = sent.map((entry, index) => {
            const answer = answers[Math.min(index, answers.length - 1)] as (typeof answers)[number]
            return { index, at: entry.at - start + answer.after, status: answer.status }
          })
          const usable = answered
            .filter(({ status }) => status === 200)
            .sort((a, b) => a.at - b.at || a.index - b.index)
          if (usable.length > 0) {
            if (result.kind !== 'success') throw new Error(`expected a success, got ${result.kind}`)
            expect((usable[0] as { at: number }).at).toBeLessThanOrEqual(
              Math.min(...usable.map(({ at }) => at)),
            )
            // Only the winner was not cancelled among copies still waiting when it answered.
            const winner = (result.data as { copy: number }).copy
            expect(answered[winner]?.status).toBe(200)
            expect(answered[winner]?.at).toBe((usable[0] as { at: number }).at)
          } else {
            expect(result).toMatchObject({ kind: 'server-error', status: 503 })
          }
        },
      ),
      { numRuns: 80 },
    )
  })
})

describe('the hedge option', () => {
  it('is checked, with a TypeError naming the field', () => {
    expect(() => createClient({ hedge: { delay: -1 } })).toThrow(/hedge\.delay/)
    expect(() => createClient({ hedge: { delay: { percentile: 100 } } })).toThrow(/hedge\.delay/)
    expect(() => createClient({ hedge: { max: 0 } })).toThrow(/hedge\.max/)
    expect(() => createClient({ hedge: { budget: { ratio: -1 } } })).toThrow(/hedge\.budget\.ratio/)
    expect(() => createClient({ hedge: { dealy: 5 } as never })).toThrow(/unknown option "hedge\.dealy"/)
  })
})
