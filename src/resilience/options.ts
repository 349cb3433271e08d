/**
 * The resilience policies' options, their defaults (Polly's standard resilience pipeline where it
 * has one), and the live policies a client keeps: settings, key and the state per key.
 */

import { Bulkhead } from '../call/bulkhead.ts'
import { announceBreaker } from '../call/diagnostics.ts'
import { byOrigin, type PolicyKey } from '../call/policy-key.ts'
import { LruMap } from '../ground/lru-map.ts'
import {
  checkBoolean,
  checkFunction,
  checkMethods,
  checkMilliseconds,
  checkWhole,
  type NamesOf,
  optionError,
  resolveSwitchable,
} from '../ground/validate.ts'
import type { AttemptRecord } from '../result/types.ts'
import { type BreakerSettings, CircuitBreaker } from './breaker.ts'
import { type BreakerStore, SYNC_INTERVAL } from './breaker-store.ts'
import { type LimiterSettings, RateLimiter, type RateLimitStore } from './limiter.ts'

export interface CircuitBreakerOptions {
  /** Failures ÷ attempts in the window at which it opens. Default 0.1 (Polly's). */
  readonly failureRatio?: number | undefined
  /** The fewest attempts in the window before the ratio counts. Default 100 (Polly's). */
  readonly minimumThroughput?: number | undefined
  /** The sliding window, ms. Default 30 000 (Polly's). */
  readonly samplingDuration?: number | undefined
  /** How long it refuses calls once open, ms. Default 5 000 (Polly's). */
  readonly breakDuration?: number | undefined
  /** Probes let through at once while half-open. Default 1. */
  readonly halfOpenProbes?: number | undefined
  /** Whether an attempt failed. Default: a 5xx, a network error or an attempt timeout (not your abort). */
  readonly isFailure?: ((attempt: AttemptRecord) => boolean) | undefined
  /** What a breaker is kept by. Default the origin. */
  readonly key?: PolicyKey | undefined
  /**
   * Where the replicas of a service share their breakers: `redisPolicyStore(redis, { subscriber })`,
   * or a `MemoryPolicyStore` for the clients of one process. A breaker that opens in one replica opens
   * in all, and one probe goes for them all when the break ends. Default: this client's own. When
   * the store fails, the client's own breaker serves, and `meta.storeFallbacks` says so.
   */
  readonly store?: BreakerStore | undefined
}

export interface RateLimitOptions {
  /** Requests per `interval`. Without one, the limiter only learns from the upstream (`learn`). */
  readonly limit?: number | undefined
  /** ms. Default 1 000. */
  readonly interval?: number | undefined
  /** Requests that may go at once after a quiet spell. Default `limit`. */
  readonly burst?: number | undefined
  /** The longest a request waits for its turn, ms; past it (or the call's time left) it is refused. Default 1 000. */
  readonly maxWait?: number | undefined
  /**
   * Hold calls back while the upstream says its quota is spent: a response's RateLimit field (or
   * `X-RateLimit-Remaining` and `-Reset`) with nothing remaining, or a 429 asking for a wait.
   * Default `true`.
   */
  readonly learn?: boolean | undefined
  /**
   * Where the replicas of a service keep one limit per key between them: `redisPolicyStore(redis)`,
   * or a `MemoryPolicyStore` for the clients of one process. Default: this client's own. When the
   * store fails, the client's own limit serves, and `meta.storeFallbacks` says so.
   */
  readonly store?: RateLimitStore | undefined
  /** What a bucket is kept by. Default the origin. */
  readonly key?: PolicyKey | undefined
}

export interface BulkheadOptions {
  /** Calls in flight at once. Default 1 000 (Polly's). */
  readonly maxConcurrent?: number | undefined
  /** Calls waiting for a turn; the rest are refused at once. Default 0 (Polly's). */
  readonly maxQueued?: number | undefined
  /** What a bulkhead is kept by. Default the origin of the call's URL. */
  readonly key?: PolicyKey | undefined
}

/** The most keys a policy keeps state for; the least recently used are forgotten. */
const MAX_KEYS = 10_000

export interface BreakerPolicy {
  readonly key: PolicyKey
  readonly isFailure: (attempt: AttemptRecord) => boolean
  readonly settings: BreakerSettings
  readonly store: BreakerStore | undefined
  breakerFor(key: string): CircuitBreaker
  /** Whether the breaker of `key` is due to ask the store of the fleet's break; marks it asked. */
  syncDue(key: string, now: number): boolean
}

export interface LimiterPolicy {
  readonly key: PolicyKey
  readonly maxWait: number
  readonly learn: boolean
  readonly settings: LimiterSettings | null
  readonly store: RateLimitStore | undefined
  limiterFor(key: string): RateLimiter
}

export interface BulkheadPolicy {
  readonly key: PolicyKey
  bulkheadFor(key: string): Bulkhead
  /** Forgets the bulkhead of `key` once nothing runs or waits in it. */
  release(key: string): void
}

/** A 5xx, a network error or an attempt's timeout; a call its caller aborted says nothing of the upstream. */
export function failedUpstream(attempt: AttemptRecord): boolean {
  if (attempt.status !== null) return attempt.status >= 500
  return attempt.error !== 'aborted'
}

export function resolveCircuitBreaker(
  given: CircuitBreakerOptions | boolean | undefined,
  parent: BreakerPolicy | null,
): BreakerPolicy | null {
  return resolveSwitchable(given, parent, 'circuitBreaker', (options) => {
    const settings: BreakerSettings = {
      failureRatio: ratio(options.failureRatio ?? 0.1, 'circuitBreaker.failureRatio'),
      minimumThroughput: checkWhole(options.minimumThroughput ?? 100, 'circuitBreaker.minimumThroughput'),
      samplingDuration: checkMilliseconds(
        options.samplingDuration ?? 30_000,
        'circuitBreaker.samplingDuration',
        10,
      ),
      breakDuration: checkMilliseconds(options.breakDuration ?? 5_000, 'circuitBreaker.breakDuration', 1),
      halfOpenProbes: checkWhole(options.halfOpenProbes ?? 1, 'circuitBreaker.halfOpenProbes'),
    }
    const breakers = new LruMap<string, CircuitBreaker>(MAX_KEYS)
    const synced = new LruMap<string, number>(MAX_KEYS)
    const store =
      options.store === undefined
        ? undefined
        : checkMethods<BreakerStore>(
            options.store,
            ['watch', 'openFor', 'opened', 'closed', 'claimProbe'],
            'circuitBreaker.store',
            'a store',
          )
    if (store) hearFleet(store, breakers, settings)
    return {
      key: checkFunction(options.key, 'circuitBreaker.key') ?? byOrigin,
      isFailure: checkFunction(options.isFailure, 'circuitBreaker.isFailure') ?? failedUpstream,
      settings,
      store,
      breakerFor: (key) => breakers.getOrMake(key, () => new CircuitBreaker(settings)),
      syncDue: (key, now) => {
        const at = synced.get(key)
        if (at !== undefined && now - at < SYNC_INTERVAL) return false
        synced.set(key, now)
        return true
      },
    }
  })
}

/** Stops a policy's listening once the policy (its breakers) is gone. */
const forgotten = new FinalizationRegistry<() => void>((stop) => stop())

/**
 * Applies what the fleet's breakers do to this policy's. The store's listener holds the breakers
 * weakly, so that a client made and dropped (per request, say) does not live on in the store.
 */
function hearFleet(
  store: BreakerStore,
  breakers: LruMap<string, CircuitBreaker>,
  settings: BreakerSettings,
): void {
  const held = new WeakRef(breakers)
  const stop = store.watch((key, news) => {
    const now = Date.now()
    const breaker = held.deref()?.getOrMake(key, () => new CircuitBreaker(settings))
    if (!breaker) return
    // Anything that can publish to the store can send news: an opening lasts no longer than this
    // replica's own break would.
    const ms = news.state === 'open' ? Math.min(news.ms, settings.breakDuration) : 0
    announceBreaker(key, news.state === 'open' ? breaker.trip(now + ms, now) : breaker.reset(now))
  })
  forgotten.register(breakers, stop)
}

export function resolveRateLimit(
  given: RateLimitOptions | boolean | undefined,
  parent: LimiterPolicy | null,
): LimiterPolicy | null {
  return resolveSwitchable(given, parent, 'rateLimit', (options) => {
    const learn = options.learn === undefined ? true : checkBoolean(options.learn, 'rateLimit.learn')
    if (options.limit === undefined && !learn) {
      throw optionError('rateLimit.limit', 'a whole number from 1 (or learn: true)', options.limit)
    }
    const limit = options.limit === undefined ? null : checkWhole(options.limit, 'rateLimit.limit')
    const settings =
      limit === null
        ? null
        : {
            limit,
            interval: checkMilliseconds(options.interval ?? 1_000, 'rateLimit.interval', 1),
            burst: checkWhole(options.burst ?? limit, 'rateLimit.burst'),
          }
    const limiters = new LruMap<string, RateLimiter>(MAX_KEYS)
    return {
      key: checkFunction(options.key, 'rateLimit.key') ?? byOrigin,
      maxWait: checkMilliseconds(options.maxWait ?? 1_000, 'rateLimit.maxWait'),
      learn,
      settings,
      store:
        options.store === undefined
          ? undefined
          : checkMethods(options.store, ['take', 'hold'], 'rateLimit.store', 'a store'),
      limiterFor: (key) => limiters.getOrMake(key, () => new RateLimiter(settings)),
    }
  })
}

export function resolveBulkhead(
  given: BulkheadOptions | boolean | undefined,
  parent: BulkheadPolicy | null,
): BulkheadPolicy | null {
  return resolveSwitchable(given, parent, 'bulkhead', (options) => {
    const settings = {
      maxConcurrent: checkWhole(options.maxConcurrent ?? 1_000, 'bulkhead.maxConcurrent'),
      maxQueued: checkWhole(options.maxQueued ?? 0, 'bulkhead.maxQueued', 0),
    }
    // Not an LRU: a bulkhead with calls in it must not be forgotten. Each goes once it is idle.
    const bulkheads = new Map<string, Bulkhead>()
    return {
      key: checkFunction(options.key, 'bulkhead.key') ?? byOrigin,
      bulkheadFor: (key) => {
        let bulkhead = bulkheads.get(key)
        if (!bulkhead) {
          bulkhead = new Bulkhead(settings)
          bulkheads.set(key, bulkhead)
        }
        return bulkhead
      },
      release: (key) => {
        if (bulkheads.get(key)?.idle) bulkheads.delete(key)
      },
    }
  })
}

function ratio(value: unknown, option: string): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1))
    throw optionError(option, 'a number above 0, at most 1', value)
  return value
}

/** The names `circuitBreaker` takes. */
export const BREAKER_NAMES = {
  failureRatio: true,
  minimumThroughput: true,
  samplingDuration: true,
  breakDuration: true,
  halfOpenProbes: true,
  isFailure: true,
  key: true,
  store: true,
} as const satisfies NamesOf<CircuitBreakerOptions>

/** The names `rateLimit` takes. */
export const RATE_LIMIT_NAMES = {
  limit: true,
  interval: true,
  burst: true,
  maxWait: true,
  learn: true,
  store: true,
  key: true,
} as const satisfies NamesOf<RateLimitOptions>

/** The names `bulkhead` takes. */
export const BULKHEAD_NAMES = {
  maxConcurrent: true,
  maxQueued: true,
  key: true,
} as const satisfies NamesOf<BulkheadOptions>
