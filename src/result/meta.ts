/** `meta`: what a call did on its way to its result — attempts, waits, hops, the cache, the stores. */

/** Why a failed attempt was not retried; `meta.retryStop` carries it. */
export type RetryStop =
  | 'limit'
  | 'budget'
  | 'method'
  | 'should-retry'
  | 'body-not-replayable'
  | 'max-retry-after'
  | 'deadline'

/** The protocols the undici transport speaks, by their ALPN names. */
export type HttpProtocol = 'http/1.1' | 'h2'

/** What the cache did for this call. */
export type CacheStatus = 'miss' | 'hit' | 'revalidated' | 'stale' | 'bypass'

/**
 * Why the client waited before the next attempt: its own backoff, the response's Retry-After or
 * RateLimit fields, or a longer cooldown that another client's answer set in the shared policy store.
 */
export type DelayReason = 'backoff' | 'retry-after' | 'ratelimit' | 'cooldown'

/** One network attempt: what it got, how long it took, and what the client did next. */
export interface AttemptRecord {
  /** The URL the attempt was sent to. */
  readonly url: string
  /** The response status, or `null` when the attempt got no response. */
  readonly status: number | null
  /** When the attempt got no response: the network code, `'timeout'` or `'aborted'`. */
  readonly error: string | null
  /** Milliseconds from sending the request to the response headers (or the failure). */
  readonly duration: number
  /**
   * The protocol the response came over, by its ALPN name: `'http/1.1'` or `'h2'`; `null` when no
   * response arrived or the transport cannot tell (the fetch transport).
   */
  readonly protocol: HttpProtocol | null
  /** Milliseconds waited after this attempt before the next one; 0 when none followed. */
  readonly delay: number
  /** Why the client waited; `null` when no attempt followed. */
  readonly delayReason: DelayReason | null
}

/** One redirect the client followed. */
export interface RedirectHop {
  readonly from: string
  readonly to: string
  readonly status: number
}

/** A shared store (`cache.store`, `retry.store`, `rateLimit.store`) that failed or did not answer in time; the call went on without it. */
export interface StoreFallback {
  /**
   * `'cache'`: the call went on as a miss, or without storing; `'retry'`: with this client's own
   * retry budget and no shared cooldown; `'rate-limit'`: with this client's own rate limit;
   * `'breaker'`: with this client's own circuit breaker (its probe sent, the fleet not told).
   */
  readonly store: 'cache' | 'retry' | 'rate-limit' | 'breaker'
  readonly operation:
    | 'get'
    | 'set'
    | 'delete'
    | 'admit'
    | 'withdraw'
    | 'cool-down'
    | 'take'
    | 'hold'
    | 'sync'
    | 'claim'
    | 'open'
    | 'close'
    | 'count'
  /** What the store threw or rejected with, as text. */
  readonly error: string
}

/** A wait that another client's 429 or 503 set for this origin in the shared policy store (`retry.store`). */
export interface CooldownNote {
  /** Milliseconds this call waited before sending, or would have had to. */
  readonly ms: number
  /**
   * `false` when the wait was longer than `retry.maxRetryAfter` or the time left, so the call sent
   * nothing and returned the status the origin had given (with `retryAfter`).
   */
  readonly sent: boolean
}

/** A circuit breaker's state: closed (calls flow), open (calls refused), half-open (a few probes). */
export type BreakerState = 'closed' | 'open' | 'half-open'

/** The circuit breaker this call passed through, as `meta.breaker` tells it. */
export interface BreakerNote {
  /** The key of the breaker (by default the origin). */
  readonly key: string
  /** Its state when the call ended. */
  readonly state: BreakerState
  /** The transitions this call's attempts caused, in order. */
  readonly transitions: readonly { readonly from: BreakerState; readonly to: BreakerState }[]
}

/** The adaptive concurrency limit this call's last attempt went through, as `meta.concurrency` tells it. */
export interface ConcurrencyNote {
  /** The key of the limit (by default the origin). */
  readonly key: string
  /** The limit when the attempt ended: the calls with this key let be in flight at once. */
  readonly limit: number
}

/** The whole story of a call, on every result. */
export interface Meta {
  /** The method and the URL of the last request sent (after any redirects). */
  readonly request: { readonly method: string; readonly url: string }
  /** Every network attempt, in order, across redirect hops. */
  readonly attempts: readonly AttemptRecord[]
  /** The redirects followed, in order. */
  readonly redirects: readonly RedirectHop[]
  readonly cache: CacheStatus
  /** Why the last attempt, a failure fetchkind would retry, was not retried; `null` otherwise. */
  readonly retryStop: RetryStop | null
  /** The shared cooldown this call waited out, or was stopped by; `null` when there was none. */
  readonly cooldown: CooldownNote | null
  /** Every shared store call that failed during this call; empty when all answered. */
  readonly storeFallbacks: readonly StoreFallback[]
  /** The circuit breaker the call's last attempt passed (or was refused by); `null` without one. */
  readonly breaker: BreakerNote | null
  /** The adaptive concurrency limit the call's last attempt went through (or was refused by); `null` without one. */
  readonly concurrency: ConcurrencyNote | null
  /** Milliseconds from the call to the result, body included. */
  readonly duration: number
}

/** The `meta` of a call that ended before anything was sent or waited for: `method` to `url`, nothing more. */
export function nothingSent(method: string, url: string): Meta {
  return {
    request: { method, url },
    attempts: [],
    redirects: [],
    cache: 'bypass',
    retryStop: null,
    cooldown: null,
    storeFallbacks: [],
    breaker: null,
    concurrency: null,
    duration: 0,
  }
}
