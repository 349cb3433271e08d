/**
 * A circuit breaker, in the manner of Polly's and resilience4j's: closed, it counts each attempt's
 * outcome over a sliding window; past a failure ratio, once the window holds enough attempts, it
 * opens and refuses calls for a break; then, half-open, it lets a few probes through — a probe
 * that succeeds closes it, one that fails opens it again. Pure state and time: the stage decides
 * what an outcome is and what to do with a refusal.
 */
import type { BreakerState } from '../result/types.ts'

export interface BreakerSettings {
  /** Failures ÷ attempts in the window at which it opens. */
  readonly failureRatio: number
  /** The fewest attempts in the window before the ratio counts. */
  readonly minimumThroughput: number
  /** The window's length, ms. */
  readonly samplingDuration: number
  /** How long it stays open, ms. */
  readonly breakDuration: number
  /** Probes let through at once while half-open. */
  readonly halfOpenProbes: number
}

export type Transition = { readonly from: BreakerState; readonly to: BreakerState }

/** What `admit` answers: go (as a probe, when half-open), or wait until `retryAt`. */
export type Admission =
  | { readonly admitted: true; readonly probe: boolean }
  | { readonly admitted: false; readonly retryAt: number }

/** Buckets the sliding window is kept in: each a tenth of it. */
const BUCKETS = 10

export class CircuitBreaker {
  readonly #settings: BreakerSettings
  #state: BreakerState = 'closed'
  #openedAt = 0
  #probes = 0
  /** Per bucket: its start time, attempts and failures. */
  readonly #window: { start: number; attempts: number; failures: number }[] = []

  constructor(settings: BreakerSettings) {
    this.#settings = settings
  }

  state(now: number): BreakerState {
    if (this.#state === 'open' && now >= this.#openedAt + this.#settings.breakDuration) return 'half-open'
    return this.#state
  }

  /** Whether an attempt may go now; the breaker moves from open to half-open when its break is over. */
  admit(now: number): { admission: Admission; transition: Transition | null } {
    let transition: Transition | null = null
    if (this.#state === 'open') {
      const reopensAt = this.#openedAt + this.#settings.breakDuration
      if (now < reopensAt) return { admission: { admitted: false, retryAt: reopensAt }, transition }
      transition = this.#move('half-open')
    }
    if (this.#state === 'half-open') {
      if (this.#probes >= this.#settings.halfOpenProbes) {
        // The probes out decide; until they do, no one else goes.
        return { admission: { admitted: false, retryAt: now + this.#settings.breakDuration }, transition }
      }
      this.#probes += 1
      return { admission: { admitted: true, probe: true }, transition }
    }
    return { admission: { admitted: true, probe: false }, transition }
  }

  /** Counts an attempt's outcome; returns the transition it caused, if any. */
  record(failed: boolean, probe: boolean, now: number): Transition | null {
    if (probe && this.#state === 'half-open') {
      this.#probes -= 1
      if (failed) return this.#open(now)
      this.#window.length = 0
      return this.#move('closed')
    }
    // An attempt admitted before the breaker opened ends while it is open: it changes nothing.
    if (this.#state !== 'closed') return null
    const bucket = this.#bucket(now)
    bucket.attempts += 1
    if (failed) bucket.failures += 1
    let attempts = 0
    let failures = 0
    for (const { attempts: a, failures: f } of this.#window) {
      attempts += a
      failures += f
    }
    const { minimumThroughput, failureRatio } = this.#settings
    if (attempts >= minimumThroughput && failures / attempts >= failureRatio) return this.#open(now)
    return null
  }

  /**
   * Opens until `until` (another replica's breaker opened, or holds the probe), unless already open
   * for longer; returns the transition, if any.
   */
  trip(until: number, now: number): Transition | null {
    const from = this.state(now)
    if (from === 'open' && this.#openedAt + this.#settings.breakDuration >= until) return null
    this.#openedAt = until - this.#settings.breakDuration
    this.#probes = 0
    this.#window.length = 0
    this.#state = 'open'
    return from === 'open' ? null : { from, to: 'open' }
  }

  /** Closes (another replica's probe succeeded), its window empty; returns the transition, if any. */
  reset(now: number): Transition | null {
    const from = this.state(now)
    if (this.#state === 'closed') return null
    this.#probes = 0
    this.#window.length = 0
    this.#state = 'closed'
    return { from, to: 'closed' }
  }

  /** Gives back a probe's place when its attempt was never sent (a rate limit refused it). */
  giveBack(probe: boolean): void {
    if (probe && this.#state === 'half-open') this.#probes -= 1
  }

  #open(now: number): Transition {
    this.#openedAt = now
    this.#probes = 0
    this.#window.length = 0
    return this.#move('open')
  }

  #move(to: BreakerState): Transition {
    const from = this.#state
    this.#state = to
    return { from, to }
  }

  /** The bucket `now` falls in, the buckets that left the window dropped. */
  #bucket(now: number) {
    const size = this.#settings.samplingDuration / BUCKETS
    const start = now - (now % size)
    while (
      this.#window.length > 0 &&
      (this.#window[0]?.start ?? 0) <= now - this.#settings.samplingDuration
    ) {
      this.#window.shift()
    }
    let last = this.#window.at(-1)
    if (!last || last.start !== start) {
      last = { start, attempts: 0, failures: 0 }
      this.#window.push(last)
    }
    return last
  }
}
