/**
 * A key's recent answer times, and the one at a percentile: the delay after which a request that
 * has not been answered is among the slowest, and worth a second copy ("The Tail at Scale").
 */

/** Answer times kept per key: enough for a 99th percentile to mean something. */
const KEPT = 500
/** Fewer than this known, no percentile is given: the policy sends no copy yet. */
export const MIN_KNOWN = 20
/** The percentile is worked out again after this many new times, not on every request. */
const REFRESH_EVERY = 10

export class Latencies {
  readonly #times: number[] = []
  #next = 0
  #sinceRefresh = 0
  #cached: { readonly percentile: number; readonly value: number } | null = null

  /** An answer came `ms` after its copy was sent. */
  observe(ms: number): void {
    if (this.#times.length < KEPT) this.#times.push(ms)
    else this.#times[this.#next] = ms
    this.#next = (this.#next + 1) % KEPT
    this.#sinceRefresh += 1
  }

  /** The time at `percentile` (nearest rank) of those kept; `null` while fewer than MIN_KNOWN are. */
  at(percentile: number): number | null {
    if (this.#times.length < MIN_KNOWN) return null
    const cached = this.#cached
    if (cached && cached.percentile === percentile && this.#sinceRefresh < REFRESH_EVERY) return cached.value
    const sorted = [...this.#times].sort((a, b) => a - b)
    const rank = Math.ceil((percentile / 100) * sorted.length) - 1
    const value = sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number
    this.#cached = { percentile, value }
    this.#sinceRefresh = 0
    return value
  }
}
