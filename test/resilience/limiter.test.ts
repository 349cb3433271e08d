/** The rate limiter (GCRA): its grants on a clock the test moves, and its bound, property-tested. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../../src/resilience/limiter.ts'

describe('RateLimiter', () => {
  it('lets a burst through at once, then one request per interval ÷ limit', () => {
    const limiter = new RateLimiter({ limit: 2, interval: 1_000, burst: 2 })
    expect(limiter.take(0, 0)).toEqual({ granted: true, wait: 0 })
    expect(limiter.take(0, 0)).toEqual({ granted: true, wait: 0 })
    expect(limiter.take(0, 0)).toEqual({ granted: false, retryAt: 500 })
    expect(limiter.take(500, 0)).toEqual({ granted: true, wait: 0 })
  })

  it('makes a request wait its turn within maxWait, keeping its place', () => {
    const limiter = new RateLimiter({ limit: 1, interval: 100, burst: 1 })
    limiter.take(0, 0)
    expect(limiter.take(0, 1_000)).toEqual({ granted: true, wait: 100 })
    // The place after it is 200 ms on: past a maxWait of 150 it is refused, saying when it could go.
    expect(limiter.take(0, 150)).toEqual({ granted: false, retryAt: 200 })
  })

  it('never lets more than burst + elapsed × rate go in any window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 10, max: 5_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.record({ gap: fc.integer({ min: 0, max: 500 }), maxWait: fc.integer({ min: 0, max: 2_000 }) }),
          {
            maxLength: 80,
          },
        ),
        (limit, interval, burst, requests) => {
          const limiter = new RateLimiter({ limit, interval, burst })
          const sent: number[] = []
          let now = 0
          for (const { gap, maxWait } of requests) {
            now += gap
            const grant = limiter.take(now, maxWait)
            if (grant.granted) sent.push(now + grant.wait)
            else expect(grant.retryAt).toBeGreaterThan(now + maxWait)
          }
          sent.sort((a, b) => a - b)
          const spacing = interval / limit
          for (let first = 0; first < sent.length; first++) {
            for (let last = first; last < sent.length; last++) {
              const elapsed = (sent[last] as number) - (sent[first] as number)
              expect(last - first + 1).toBeLessThanOrEqual(burst + elapsed / spacing + 1e-9)
            }
          }
        },
      ),
      { numRuns: 1_000 },
    )
  })
})
