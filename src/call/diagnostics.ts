/**
 * What each stage decided, published on `node:diagnostics_channel` (undici does the same), so
 * that tracing, metrics and logs can listen without fetchkind knowing them. A channel with no
 * subscriber costs one property read: nothing is built for it.
 */
import * as diagnostics from 'node:diagnostics_channel'
import type {
  BreakerState,
  CacheStatus,
  DelayReason,
  HttpProtocol,
  Result,
  RetryStop,
} from '../result/types.ts'

const { channel } = diagnostics

/** One call, the same object in every event of it: key your span or log state on it. */
export interface CallTrace {
  readonly method: string
  readonly url: URL
}

export interface CallStartEvent {
  readonly call: CallTrace
}

export interface AttemptStartEvent {
  readonly call: CallTrace
  readonly url: URL
  readonly method: string
  /** The request headers of this attempt, a copy a subscriber may add to (`traceparent`). */
  readonly headers: Headers
  /** 0 for the first attempt of the call, 1 for the next (retry or redirect), and so on. */
  readonly resendCount: number
}

export interface AttemptEndEvent {
  readonly call: CallTrace
  readonly url: URL
  readonly method: string
  readonly resendCount: number
  readonly status: number | null
  /** The network code, or `'timeout'` / `'aborted'`, when the attempt got no response. */
  readonly error: string | null
  readonly duration: number
  /** The protocol the response came over (`'http/1.1'`, `'h2'`); `null` when unknown or none came. */
  readonly protocol: HttpProtocol | null
}

/**
 * The retry policy decided after an attempt that failed: to retry it after `delay` ms (and why
 * that long), or to stop, and why. A failure the policy never retries (a 404) is no decision.
 */
export interface RetryEvent {
  readonly call: CallTrace
  readonly url: URL
  /** The attempt decided on, counted within its redirect hop as `RetryContext.attempt` is (1 for the first). */
  readonly attempt: number
  readonly status: number | null
  readonly error: string | null
  readonly retry: boolean
  readonly delay: number
  readonly delayReason: DelayReason | null
  readonly stop: RetryStop | null
}

export interface RedirectEvent {
  readonly call: CallTrace
  readonly from: URL
  readonly to: URL
  readonly status: number
}

export interface CacheEvent {
  readonly call: CallTrace
  readonly url: URL
  readonly cache: CacheStatus
}

/** A circuit breaker changed state: the key it is kept by, and from and to which state. */
export interface BreakerEvent {
  readonly key: string
  readonly from: BreakerState
  readonly to: BreakerState
}

/**
 * A call waited for its turn: a rate limit's (before an attempt), a bulkhead's queue (before the
 * call), or the adaptive concurrency limit's queue (before an attempt).
 */
export interface PolicyWaitEvent {
  readonly call: CallTrace
  readonly policy: 'rate-limit' | 'bulkhead' | 'concurrency'
  /** Milliseconds waited. */
  readonly ms: number
}

/**
 * The hedging policy would send another copy of a request: after `reason` (`'delay'`: no answer
 * within it; `'failure'`: every copy so far failed), and whether it did (`sent: false` when the
 * budget had none left). `copy` counts the copies besides the first: 1 for the first hedge.
 */
export interface HedgeEvent {
  readonly call: CallTrace
  readonly url: URL
  readonly copy: number
  readonly reason: 'delay' | 'failure'
  readonly sent: boolean
}

/**
 * The adaptive concurrency limit of `key` moved, from `previous` to `limit`: the calls it lets
 * be in flight at once. `url` is the attempt's whose round trip moved it.
 */
export interface ConcurrencyEvent {
  readonly key: string
  readonly url: URL
  readonly limit: number
  readonly previous: number
}

export interface CallEndEvent {
  readonly call: CallTrace
  readonly result: Result
}

export const channels = {
  callStart: channel('fetchkind:call:start'),
  attemptStart: channel('fetchkind:attempt:start'),
  attemptEnd: channel('fetchkind:attempt:end'),
  redirect: channel('fetchkind:redirect'),
  cache: channel('fetchkind:cache'),
  breaker: channel('fetchkind:breaker'),
  retry: channel('fetchkind:retry'),
  policyWait: channel('fetchkind:policy:wait'),
  hedge: channel('fetchkind:hedge'),
  concurrency: channel('fetchkind:concurrency'),
  callEnd: channel('fetchkind:call:end'),
} as const

/**
 * What the `fetchkind:call` tracing channel carries, one object through its events: `call` at
 * `start`, and `result` (set by the channel) at `asyncEnd`; `error` at `error` when the call
 * rejected (a TypeError for bad input). Subscribers may keep their own state on it.
 */
export interface CallTracingContext {
  readonly call: CallTrace
  result?: Result
  error?: unknown
}

/**
 * The call as a `diagnostics_channel` tracing channel (start, end, asyncStart, asyncEnd, error):
 * an APM binds its AsyncLocalStorage to `start` with `bindStore`, and the whole call — its
 * attempts, the transport's own requests — runs with its store. `null` on a runtime without
 * tracing channels.
 */
export const callTracing =
  typeof diagnostics.tracingChannel === 'function'
    ? diagnostics.tracingChannel<unknown, CallTracingContext>('fetchkind:call')
    : null

/** Whether anyone listens to the call's tracing channel. */
export function callTracingListened(): boolean {
  if (!callTracing) return false
  const { start, end, asyncStart, asyncEnd, error } = callTracing
  return (
    start.hasSubscribers ||
    end.hasSubscribers ||
    asyncStart.hasSubscribers ||
    asyncEnd.hasSubscribers ||
    error.hasSubscribers
  )
}

/** Runs a call within a scope of the caller's making (a tracing context), given the call's trace. */
export type CallScope = <T>(call: CallTrace, run: () => Promise<T>) => Promise<T>

let scope: CallScope | null = null

/**
 * Sets the one scope every call runs in (`fetchkind/otel` makes its call span the active context
 * with it, so that spans made below — undici's own instrumentation — are its children); `null`
 * removes it. Returns the scope it replaced.
 */
export function setCallScope(next: CallScope | null): CallScope | null {
  const previous = scope
  scope = next
  return previous
}

export function callScope(): CallScope | null {
  return scope
}

/** Publishes what `build` makes, only when someone listens. */
export function publish<E>(target: (typeof channels)[keyof typeof channels], build: () => E): void {
  if (target.hasSubscribers) target.publish(build())
}

/** Publishes a breaker's change of state, when there was one. */
export function announceBreaker(
  key: string,
  transition: { readonly from: BreakerState; readonly to: BreakerState } | null,
): void {
  if (transition) publish(channels.breaker, (): BreakerEvent => ({ key, ...transition }))
}

/** Tells the `fetchkind:policy:wait` channel of a wait for a turn (a turn given at once is none). */
export function announceWait(call: CallTrace, policy: PolicyWaitEvent['policy'], ms: number): void {
  publish(channels.policyWait, (): PolicyWaitEvent => ({ call, policy, ms }))
}

/** Tells the `fetchkind:concurrency` channel that a key's adaptive limit moved. */
export function announceConcurrency(key: string, url: URL, limit: number, previous: number): void {
  publish(channels.concurrency, (): ConcurrencyEvent => ({ key, url, limit, previous }))
}
