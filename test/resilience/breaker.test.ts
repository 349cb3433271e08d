/** The circuit breaker's state machine, on a clock the test moves; and its invariant, property-tested. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BreakerSettings, CircuitBreaker } from '../../src/resilience/breaker.ts'

const settings: BreakerSettings = {
  failureRatio: 0.5,
  minimumThroughput: 4,
  samplingDuration: 10_000,
  breakDuration: 5_000,
  halfOpenProbes: 1,
}

/** Sends `outcomes` through the breaker at `now`, each admitted and recorded; returns the transitions. */
function run(breaker: CircuitBreaker, outcomes: boolean[], now: number) {
  return outcomes.flatMap((failed) => {
    const { admission } = breaker.admit(now)
    if (!admission.admitted) return []
    const transition = breaker.record(failed, admission.probe, now)
    return transition ? [transition] : []
  })
}

describe('CircuitBreaker', () => {
  it('stays closed below the minimum throughput, however many fail', () => {
    const breaker = new CircuitBreaker(settings)
    expect(run(breaker, [true, true, true], 0)).toEqual([])
    expect(breaker.state(0)).toBe('closed')
  })

  it('opens once the window holds enough attempts and the failure ratio is reached', () => {
    const breaker = new CircuitBreaker(settings)
    expect(run(breaker, [false, false, true, true], 0)).toEqual([{ from: 'closed', to: 'open' }])
    expect(breaker.admit(1_000).admission).toEqual({ admitted: false, retryAt: 5_000 })
  })

  it('forgets failures that left the sliding window', () => {
    const breaker = new CircuitBreaker(settings)
    run(breaker, [true, true, true], 0)
    // Ten seconds on, those three are out of the window: one more failure among successes is not enough.
    expect(run(breaker, [true, false, false, false], 10_500)).toEqual([])
    expect(breaker.state(10_500)).toBe('closed')
  })

  it('after the break lets one probe through: its success closes it', () => {
    const breaker = new CircuitBreaker(settings)
    run(breaker, [true, true, true, true], 0)
    const probe = breaker.admit(5_000)
    expect(probe).toEqual({
      admission: { admitted: true, probe: true },
      transition: { from: 'open', to: 'half-open' },
    })
    // A second caller while the probe is out is refused.
    expect(breaker.admit(5_001).admission.admitted).toBe(false)
    expect(breaker.record(false, true, 5_100)).toEqual({ from: 'half-open', to: 'closed' })
    expect(breaker.admit(5_200).admission).toEqual({ admitted: true, probe: false })
  })

  it("a probe's failure opens it for another break", () => {
    const breaker = new CircuitBreaker(settings)
    run(breaker, [true, true, true, true], 0)
    breaker.admit(5_000)
    expect(breaker.record(true, true, 5_050)).toEqual({ from: 'half-open', to: 'open' })
    expect(breaker.admit(6_000).admission).toEqual({ admitted: false, retryAt: 10_050 })
  })

  it('a probe that was never sent gives its place back', () => {
    const breaker = new CircuitBreaker(settings)
    run(breaker, [true, true, true, true], 0)
    breaker.admit(5_000)
    breaker.giveBack(true)
    expect(breaker.admit(5_001).admission).toEqual({ admitted: true, probe: true })
  })

  it("trips open for another replica's break, keeping the longer; reset closes it with an empty window", () => {
    const breaker = new CircuitBreaker(settings)
    run(breaker, [true, false, false], 0)
    expect(breaker.trip(3_000, 1_000)).toEqual({ from: 'closed', to: 'open' })
    expect(breaker.admit(2_000).admission).toEqual({ admitted: false, retryAt: 3_000 })
    expect(breaker.trip(2_500, 2_000)).toBeNull()
    expect(breaker.admit(2_600).admission).toEqual({ admitted: false, retryAt: 3_000 })
    expect(breaker.reset(2_700)).toEqual({ from: 'open', to: 'closed' })
    expect(breaker.reset(2_800)).toBeNull()
    // The window was emptied: three failures more are still below the minimum throughput of 4.
    expect(run(breaker, [true, true, true], 2_900)).toEqual([])
  })

  it('a trip while half-open ends the probing: the probe out no longer closes it', () => {
    const breaker = new CircuitBreaker(settings)
    run(breaker, [true, true, true, true], 0)
    expect(breaker.admit(5_000).admission).toEqual({ admitted: true, probe: true })
    expect(breaker.trip(9_000, 5_100)).toEqual({ from: 'half-open', to: 'open' })
    expect(breaker.record(false, true, 5_200)).toBeNull()
    expect(breaker.state(5_300)).toBe('open')
  })

  it('opens exactly when its window holds its minimum throughput at its ratio (property)', () => {
    const bucket = settings.samplingDuration / 10
    fc.assert(
      fc.property(
        fc.array(fc.record({ failed: fc.boolean(), gap: fc.integer({ min: 0, max: 3_000 }) }), {
          maxLength: 60,
        }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        (steps, failureRatio, minimumThroughput) => {
          const breaker = new CircuitBreaker({ ...settings, failureRatio, minimumThroughput })
          const seen: { at: number; failed: boolean }[] = []
          let now = 0
          for (const { failed, gap } of steps) {
            now += gap
            const { admission } = breaker.admit(now)
            if (!admission.admitted || admission.probe) return
            seen.push({ at: now, failed })
            // The window, as its buckets of a tenth each hold it.
            const inWindow = seen.filter(
              (sample) => sample.at - (sample.at % bucket) > now - settings.samplingDuration,
            )
            const failures = inWindow.filter((sample) => sample.failed).length
            const due = inWindow.length >= minimumThroughput && failures / inWindow.length >= failureRatio
            const transition = breaker.record(failed, false, now)
            expect(transition?.to === 'open').toBe(due)
            if (due) return
          }
        },
      ),
      { numRuns: 2_000 },
    )
  })
})
