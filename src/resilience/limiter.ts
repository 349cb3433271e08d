/**
 * A rate limiter per key, as GCRA (the generic cell rate algorithm, a token bucket kept as one
 * number): `limit` requests per `interval`, with bursts of up to `burst`; and what the upstream
 * says of its own quota — none left until a reset — held as a time before which nothing goes. A
 * request that may not go yet is told when it may: it waits that long, its place reserved, or is
 * refused.
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
  /** `null` for a limiter that only learns from the upstream. */
  readonly #emission: number | null
  readonly #tolerance: number
  /** The theoretical arrival time of the next request: the bucket, as GCRA keeps it. */
  #tat = Number.NEGATIVE_INFINITY
  /** Before this, nothing goes: the upstream said its quota was spent until then. */
  #heldUntil = Number.NEGATIVE_INFINITY

  constructor(settings: LimiterSettings | null) {
    this.#emission = settings ? settings.interval / settings.limit : null
    this.#tolerance = settings && this.#emission !== null ? this.#emission * (settings.burst - 1) : 0
  }

  /** A place for one request at `now`, waiting at most `maxWait` ms for it. */
  take(now: number, maxWait: number): Grant {
    const tat = Math.max(this.#tat, now, this.#heldUntil)
    const allowedAt = Math.max(this.#emission === null ? tat : tat - this.#tolerance, this.#heldUntil)
    const wait = Math.max(0, allowedAt - now)
    if (wait > maxWait) return { granted: false, retryAt: allowedAt }
    if (this.#emission !== null) this.#tat = tat + this.#emission
    return { granted: true, wait }
  }

  /** Holds every request back until `until`: the upstream's quota is spent until then. */
  hold(until: number): void {
    this.#heldUntil = Math.max(this.#heldUntil, until)
  }
}

/** A turn as a shared store gives it, in ms from now (a store may keep time by its own clock). */
export type SharedGrant =
  | { readonly granted: true; readonly wait: number }
  | { readonly granted: false; readonly retryIn: number }

/**
 * Where the replicas of a service keep one rate limit per key between them (`rateLimit.store`):
 * `redisPolicyStore` on Redis (atomic scripts, on Redis's clock), `MemoryPolicyStore` for the
 * clients of one process.
 */
export interface RateLimitStore {
  /** A turn for one request under `key` (GCRA with `settings`, or only the hold without), waiting at most `maxWait`. */
  take(key: string, settings: LimiterSettings | null, maxWait: number): Promise<SharedGrant>
  /** Holds every request under `key` back for `ms`: the upstream's quota is spent until then. */
  hold(key: string, ms: number): Promise<void>
}
