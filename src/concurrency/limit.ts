/**
 * The concurrency limit of one key, found from the round trips it measures: Netflix's Gradient2
 * update, against a baseline that Vegas, BBR and Envoy's adaptive concurrency filter would
 * recognise.
 *
 * Every window of round trips (at least 10, over at least twice the fastest of them and 100 ms,
 * at most 1 s unless it needs longer for 10) gives a median. While that median is within
 * `TOLERANCE` of the baseline, the limit grows by its square root (smoothed); past it, the limit
 * shrinks by the ratio, never by more than half a window (smoothed again, so about a tenth).
 * Answers the upstream shed (429, 503, a timeout, a refused connection) shrink it by their share
 * of the window.
 *
 * Why this baseline, the lowest window median since the last probe:
 * - Gradient2 compares with a long average of the medians, which follows the load it is meant to
 *   judge: under steady overload the average catches up with the queue, and the limit creeps up
 *   (Netflix/concurrency-limits#134). A minimum does not creep.
 * - Vegas takes the fastest single round trip, which jitter makes too fast, so the limit settles
 *   too low (Netflix's reason for Gradient2's average); a median compared with medians is like
 *   with like.
 * - A minimum never rises, so an upstream that became slower for good would be held at the least
 *   limit forever. Every `PROBE_EVERY` ms without a window as fast as the baseline, one window is
 *   a probe (BBR's ProbeRTT, Envoy's minRTT window): the limit is held at half, the queue at the
 *   upstream drains, and that window's median becomes the baseline, up or down. While halving
 *   still shortens the median by a tenth there was a queue left to drain, and the next window
 *   probes at half again. A key's first windows are probes too, so that its baseline is not learnt
 *   under a queue its initial limit made. Calls over a held limit wait in the queue, whose bound
 *   does not halve.
 *
 * Time is given by the caller (`now`, in ms), so that the whole of it runs under a fake clock.
 */

/** A window closes with at least this many round trips... */
const WINDOW_SAMPLES = 10
/** ...and lasts at least twice its fastest round trip, within these bounds (ms). */
const WINDOW_MIN = 100
const WINDOW_MAX = 1_000
/** How much slower than the baseline a window's median may be before the limit shrinks. */
const TOLERANCE = 1.2
/** The share of a window's own estimate that the limit moves by. */
const SMOOTHING = 0.2
/** The most a window's estimate shrinks the limit by, before smoothing. */
const MIN_GRADIENT = 0.5
/** How long the baseline stands without a window as fast as it before a probe (ms). */
export const PROBE_EVERY = 10_000
/** A probe whose median is at most this share of the window's before probes again, at half. */
const DRAINING = 0.9

export interface LimitBounds {
  readonly min: number
  readonly max: number
  readonly initial: number
}

/** The round trips of the window under way. */
interface Window {
  readonly startedAt: number
  readonly rtts: number[]
  dropped: number
  /** The most calls in flight when any of its round trips began. */
  busiest: number
  fastest: number
}

export class AdaptiveLimit {
  readonly #bounds: LimitBounds
  #estimate: number
  #window: Window
  /** The lowest window median since the last probe; `null` before the first window closes. */
  #baseline: number | null = null
  /** When a window last set or matched the baseline. */
  #refreshedAt: number
  /** The limit held while the window under way is a probe; `null` when it is not one. */
  #held: number | null
  /** The median of the last window that closed; `null` before one has. */
  #lastMedian: number | null = null

  constructor(bounds: LimitBounds, now: number) {
    this.#bounds = bounds
    this.#estimate = bounds.initial
    this.#window = newWindow(now)
    this.#refreshedAt = now
    this.#held = this.#half(this.steady)
  }

  /** The calls let be in flight at once. */
  get value(): number {
    return this.#held ?? this.steady
  }

  /** The limit without a probe's halving: what the queue's bound follows. */
  get steady(): number {
    return Math.max(this.#bounds.min, Math.floor(this.#estimate))
  }

  /** The baseline round trip (ms), once known. */
  get baseline(): number | null {
    return this.#baseline
  }

  /**
   * An attempt's round trip ended at `now`, `rtt` ms after it was sent with `inFlight` calls in
   * flight (itself included); `dropped` when the upstream shed it. Returns whether `value` moved.
   */
  sample(now: number, rtt: number, dropped: boolean, inFlight: number): boolean {
    const window = this.#window
    // A probe measures the calls sent under its held limit, not those still out from before.
    if (this.#held !== null && now - rtt < window.startedAt) return false
    if (dropped) window.dropped += 1
    else {
      window.rtts.push(rtt)
      if (rtt < window.fastest) window.fastest = rtt
    }
    if (inFlight > window.busiest) window.busiest = inFlight
    const elapsed = now - window.startedAt
    const count = window.rtts.length + window.dropped
    const span = Math.min(WINDOW_MAX, Math.max(WINDOW_MIN, 2 * window.fastest))
    if (elapsed < span || count < WINDOW_SAMPLES) {
      // A quiet key's few round trips say nothing of the upstream: they are let go after a while.
      // One held at its limit (a probe's, a low one's) waits for enough, however long they take.
      if (elapsed >= WINDOW_MAX && window.busiest < this.value) this.#window = newWindow(now)
      return false
    }
    this.#window = newWindow(now)
    const before = this.value
    this.#close(window, now)
    return this.value !== before
  }

  #close(window: Window, now: number): void {
    const median = medianOf(window.rtts)
    const before = this.#lastMedian
    if (median !== null) this.#lastMedian = median
    if (this.#held !== null) {
      if (median === null) return
      const draining = before === null || median <= before * DRAINING
      this.#held = draining && this.#held > this.#bounds.min ? this.#half(this.#held) : null
      this.#note(median, now, true)
      return
    }
    if (median !== null) this.#note(median, now, false)
    if (now - this.#refreshedAt >= PROBE_EVERY) this.#held = this.#half(this.steady)
    // A client that sends fewer than half its limit says nothing of what more would do.
    if (window.busiest < this.#estimate / 2) return
    this.#estimate = this.#next(window, median)
  }

  #half(limit: number): number {
    return Math.max(this.#bounds.min, Math.ceil(limit / 2))
  }

  /** A window's median: the baseline when it is the first, a probe's, or lower. */
  #note(median: number, now: number, probe: boolean): void {
    if (probe || this.#baseline === null || median <= this.#baseline) {
      this.#baseline = median
      this.#refreshedAt = now
    }
  }

  #next(window: Window, median: number | null): number {
    const { min, max } = this.#bounds
    const baseline = this.#baseline
    const latency =
      median === null || baseline === null ? MIN_GRADIENT : Math.min(1, (TOLERANCE * baseline) / median)
    const shed = window.dropped / (window.dropped + window.rtts.length)
    const gradient = Math.max(MIN_GRADIENT, latency * (1 - shed))
    // Room to grow only while nothing queues: growing by it under a queue is how Gradient2 creeps.
    const room = gradient === 1 ? Math.sqrt(this.#estimate) : 0
    const target = this.#estimate * gradient + room
    const next = this.#estimate * (1 - SMOOTHING) + target * SMOOTHING
    return Math.min(max, Math.max(min, next))
  }
}

function newWindow(now: number): Window {
  return { startedAt: now, rtts: [], dropped: 0, busiest: 0, fastest: Number.POSITIVE_INFINITY }
}

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = values.sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}
