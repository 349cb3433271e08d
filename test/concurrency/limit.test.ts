/** The adaptive limit's decisions, on a clock the test moves (every `now` is given). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AdaptiveLimit, PROBE_EVERY } from '../../src/concurrency/limit.ts'

const BOUNDS = { min: 1, max: 1_000, initial: 20 }

/**
 * Feeds `limit` windows of 20 round trips each `rtt(limit)` ms, 10 ms apart, over 200 ms, with
 * `inFlight(limit)` calls in flight (by default its whole limit). Returns the time reached.
 */
function windows(
  limit: AdaptiveLimit,
  from: number,
  count: number,
  rtt: (limit: number) => number,
  options: { inFlight?: (limit: number) => number; shed?: number } = {},
): number {
  let now = from
  for (let window = 0; window < count; window++) {
    for (let sample = 0; sample < 20; sample++) {
      now += 10
      const inFlight = options.inFlight?.(limit.value) ?? limit.value
      limit.sample(now, rtt(limit.value), sample < (options.shed ?? 0), inFlight)
    }
  }
  return now
}

describe('AdaptiveLimit', () => {
  it('starts with probes at half its initial limit, and half again while that shortens answers', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    expect(limit.value).toBe(10)
    expect(limit.steady).toBe(20)
    // The first probe has nothing to compare with: the next probes at half of it.
    let now = windows(limit, 0, 1, () => 30)
    expect(limit.value).toBe(5)
    // Half the calls, answers no faster: no queue was left, and the steady limit is let in.
    now = windows(limit, now, 1, () => 30)
    expect(limit.baseline).toBe(30)
    expect(limit.value).toBe(20)
  })

  it('goes on halving a probe while each half answers a tenth faster: a queue is draining', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    // Answers as slow as the calls in flight make them: 4 ms a call ahead in the queue.
    const held: number[] = [limit.value]
    for (let now = 10; now < 3_000; now += 10) {
      limit.sample(now, 4 * limit.value, false, limit.value)
      if (limit.value !== held.at(-1)) held.push(limit.value)
    }
    expect(held.slice(0, 6)).toEqual([10, 5, 3, 2, 1, 20])
    expect(limit.baseline).toBe(4)
  })

  it('grows while answers come as fast as the baseline and the limit is in use', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    windows(limit, 0, 20, () => 30)
    expect(limit.value).toBeGreaterThan(35)
  })

  it('does not grow while fewer than half its limit are in flight: that says nothing of more', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    windows(limit, 0, 20, () => 30, { inFlight: () => 5 })
    expect(limit.value).toBe(20)
  })

  it('shrinks while answers are slower than the baseline allows, down to the minimum', () => {
    const limit = new AdaptiveLimit({ min: 3, max: 1_000, initial: 20 }, 0)
    const now = windows(limit, 0, 1, () => 30)
    windows(limit, now, 10, () => 80)
    expect(limit.value).toBeLessThan(10)
    // 30 more windows: 8 s on, short of the probe that would take 80 ms as the new normal.
    windows(limit, now + 2_000, 30, () => 80)
    expect(limit.value).toBe(3)
  })

  it('tolerates answers up to a fifth slower than the baseline', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    const now = windows(limit, 0, 1, () => 30)
    windows(limit, now, 10, () => 35)
    expect(limit.value).toBeGreaterThan(20)
  })

  it('shrinks by the share of answers the upstream shed, however fast they came', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    const now = windows(limit, 0, 1, () => 30)
    windows(limit, now, 5, () => 30, { shed: 10 })
    expect(limit.value).toBeLessThan(20)
  })

  it('lets a quiet key keep its limit: a second with fewer than 10 answers is let go', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    for (let now = 100; now < 60_000; now += 200) limit.sample(now, 500, false, 1)
    expect(limit.value).toBe(10)
    expect(limit.baseline).toBeNull()
  })

  it('waits as long as it takes for 10 answers while held at its limit', () => {
    const limit = new AdaptiveLimit({ min: 1, max: 1_000, initial: 2 }, 0)
    // One call at a time (the probe's half of 2), each taking 400 ms: 10 take 4 s.
    for (let now = 400; now <= 4_000; now += 400) limit.sample(now, 400, false, 1)
    expect(limit.baseline).toBe(400)
    expect(limit.value).toBe(2)
  })

  it('probes again after a while without a window as fast as the baseline, and takes its median', () => {
    const limit = new AdaptiveLimit(BOUNDS, 0)
    let now = windows(limit, 0, 1, () => 20)
    // The upstream becomes three times slower for good, however few calls are in flight.
    now = windows(limit, now, 20, () => 60)
    const squeezed = limit.value
    expect(squeezed).toBeLessThan(10)
    now = windows(limit, now, Math.ceil(PROBE_EVERY / 200), () => 60)
    expect(limit.baseline).toBe(60)
    windows(limit, now, 30, () => 60)
    expect(limit.value).toBeGreaterThan(squeezed * 2)
  })

  it('keeps within its bounds, whatever it is told', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 200 }),
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 2_000 }),
            rtt: fc.double({ min: 0, max: 10_000, noNaN: true }),
            shed: fc.boolean(),
            inFlight: fc.integer({ min: 0, max: 2_000 }),
          }),
          { maxLength: 400 },
        ),
        (min, span, samples) => {
          const bounds = { min, max: min + span, initial: min + Math.floor(span / 2) }
          const limit = new AdaptiveLimit(bounds, 0)
          let now = 0
          for (const sample of samples) {
            now += sample.gap
            limit.sample(now, sample.rtt, sample.shed, sample.inFlight)
            expect(limit.value).toBeGreaterThanOrEqual(min)
            expect(limit.value).toBeLessThanOrEqual(bounds.max)
            expect(Number.isInteger(limit.value)).toBe(true)
          }
        },
      ),
    )
  })

  it('settles near the knee of a saturated queueing upstream, whatever its speed and distance', () => {
    // An upstream serving one request per `service` ms, `distance` ms away, always offered more
    // than the limit: each answer frees a slot that is taken at once. Its knee — the most calls in
    // flight before they queue — is distance / service + 1.
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 5, max: 200 }),
        (service, distance) => {
          const knee = distance / service + 1
          fc.pre(knee >= 3 && knee <= 300)
          const limit = new AdaptiveLimit(BOUNDS, 0)
          const settled = saturate(limit, service, distance, 60_000)
          expect(settled).toBeGreaterThanOrEqual(knee * 0.7)
          expect(settled).toBeLessThanOrEqual(knee * 2)
        },
      ),
      { numRuns: 30 },
    )
  })
})

/**
 * Runs `limit` against a saturated single-server upstream for `ms`; returns its mean value over
 * the last fifth of the run.
 */
function saturate(limit: AdaptiveLimit, service: number, distance: number, ms: number): number {
  // The answers due, as [time, sent]: in the order sent, the server being first come first served.
  const due: [number, number][] = []
  let free = 0
  let now = 0
  const send = () => {
    const start = Math.max(now + distance / 2, free)
    free = start + service
    due.push([free + distance / 2, now])
  }
  let total = 0
  let counted = 0
  while (now < ms) {
    while (due.length < limit.value) send()
    const [at, sent] = due.shift() as [number, number]
    now = at
    limit.sample(now, now - sent, false, due.length + 1)
    if (now > ms * 0.8) {
      total += limit.value
      counted += 1
    }
  }
  return total / counted
}
