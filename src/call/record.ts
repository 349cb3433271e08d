/**
 * The record of one call, kept as it happens, which `meta` is read from once, when the call ends:
 * each attempt and the wait the retry policy set after it, each redirect followed, why the retry
 * policy stopped, the cooldown another client's answer imposed, the breaker and the adaptive
 * concurrency limit passed, and the shared stores that failed (the call went on without them).
 * Stages only add to it.
 */

import { thrownText } from '../result/thrown.ts'
import type {
  AttemptRecord,
  BreakerNote,
  BreakerState,
  ConcurrencyNote,
  CooldownNote,
  DelayReason,
  RedirectHop,
  RetryStop,
  StoreFallback,
} from '../result/types.ts'

/** An attempt as it ended, before any wait after it is known. */
export type EndedAttempt = Omit<AttemptRecord, 'delay' | 'delayReason'>

/** What a call that met none of a kind has: one list for them all, never added to. */
const NONE: readonly never[] = Object.freeze([])

/**
 * Read once, as the call ends: the lists are handed to `meta` as they are, not copied. A call
 * follows no redirect and meets no failing store most of the time: those lists are made when the
 * first is recorded.
 */
export class CallRecord {
  readonly #attempts: AttemptRecord[] = []
  #redirects: RedirectHop[] | null = null
  #retryStop: RetryStop | null = null
  #storeFallbacks: StoreFallback[] | null = null
  #cooldown: CooldownNote | null = null
  #attemptsSent = 0
  #breaker: BreakerNote | null = null
  #concurrency: ConcurrencyNote | null = null

  /** Counts an attempt sent; returns how many were sent before it (OpenTelemetry's `http.request.resend_count`). */
  attemptSent(): number {
    return this.#attemptsSent++
  }

  /** An attempt ended, answered or not. */
  attempted(
    url: string,
    status: number | null,
    error: string | null,
    duration: number,
    protocol: EndedAttempt['protocol'],
  ): void {
    this.#attempts.push({ url, status, error, duration, protocol, delay: 0, delayReason: null })
  }

  /** How many attempts have ended: a stage compares the count before and after it sends one down. */
  get attemptCount(): number {
    return this.#attempts.length
  }

  /** The last attempt that ended, if any has. */
  get lastAttempt(): AttemptRecord | undefined {
    return this.#attempts.at(-1)
  }

  /** The retry policy waits `delay` ms after the last attempt, for `reason`, before the next. */
  waitsAfterLast(delay: number, reason: DelayReason): void {
    const last = this.#attempts.length - 1
    const attempt = this.#attempts[last]
    if (attempt) this.#attempts[last] = { ...attempt, delay, delayReason: reason }
  }

  redirected(hop: RedirectHop): void {
    this.#redirects ??= []
    this.#redirects.push(hop)
  }

  /** Why the retry policy did not retry the last attempt, when it was a failure it would retry. */
  retryStopped(stop: RetryStop): void {
    this.#retryStop = stop
  }

  storeFailed(store: StoreFallback['store'], operation: StoreFallback['operation'], error: unknown): void {
    this.#storeFallbacks ??= []
    this.#storeFallbacks.push({ store, operation, error: thrownText(error) })
  }

  /** A call across redirects can meet a cooldown on each origin: the waits add up. */
  cooledDown(ms: number, sent: boolean): void {
    this.#cooldown = { ms: (this.#cooldown?.ms ?? 0) + ms, sent }
  }

  /** The breaker an attempt passed (the last one's wins), with the transitions the call's attempts caused. */
  passedBreaker(key: string, state: BreakerState, transitions: BreakerNote['transitions']): void {
    this.#breaker = { key, state, transitions: [...(this.#breaker?.transitions ?? []), ...transitions] }
  }

  /** The adaptive concurrency limit an attempt went through (the last one's wins), as it stood after. */
  passedConcurrencyLimit(key: string, limit: number): void {
    this.#concurrency = { key, limit }
  }

  get attempts(): readonly AttemptRecord[] {
    return this.#attempts
  }

  get redirects(): readonly RedirectHop[] {
    return this.#redirects ?? NONE
  }

  get retryStop(): RetryStop | null {
    return this.#retryStop
  }

  get breaker(): BreakerNote | null {
    return this.#breaker
  }

  get concurrency(): ConcurrencyNote | null {
    return this.#concurrency
  }

  get storeFallbacks(): readonly StoreFallback[] {
    return this.#storeFallbacks ?? NONE
  }

  get cooldown(): CooldownNote | null {
    return this.#cooldown
  }
}
