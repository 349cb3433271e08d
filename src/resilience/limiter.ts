/**
 * A rate limiter per key, as GCRA (the generic cell rate algorithm, a token bucket kept as one
 * number): `limit` requests per `interval`, with bursts of up to `burst`. A request that may not go
 * yet is told when it may — it waits that long, its place reserved, or is refused.
 */

export interface LimiterSettings {
  /** Requests per `interval`. */
  readonly limit: number
  /** The interval, ms. */
  readonly interval: number
  /** Requests that may go at once after a quiet spell. */
  readonly burst: number
}

/** What `take` answers: go now, go after `wait` ms (the place is kept), or not within `maxWait`. */
export type Grant =
  | { readonly granted: true; readonly wait: number }
  | { readonly granted: false; readonly retryAt: number }

export class RateLimiter {
  readonly #emission: number
  readonly #tolerance: number
  /** The theoretical arrival time of the next request: the bucket, as GCRA keeps it. */
  #tat = Number.NEGATIVE_INFINITY

  constructor({ limit, interval, burst }: LimiterSettings) {
    this.#emission = interval / limit
    this.#tolerance = this.#emission * (burst - 1)
  }

  /** A place for one request at `now`, waiting at most `maxWait` ms for it. */
  take(now: number, maxWait: number): Grant {
    const tat = Math.max(this.#tat, now)
    const allowedAt = tat - this.#tolerance
    const wait = Math.max(0, allowedAt - now)
    if (wait > maxWait) return { granted: false, retryAt: allowedAt }
    this.#tat = tat + this.#emission
    return { granted: true, wait }
  }
}
