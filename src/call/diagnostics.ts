/**
 * What each stage decided, published on `node:diagnostics_channel` (undici does the same), so
 * that tracing, metrics and logs can listen without fetchkind knowing them. A channel with no
 * subscriber costs one property read: nothing is built for it.
 */
import { channel } from 'node:diagnostics_channel'
import type { BreakerState, CacheStatus, Result } from '../result/types.ts'

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
  callEnd: channel('fetchkind:call:end'),
} as const

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
