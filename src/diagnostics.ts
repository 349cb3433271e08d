/**
 * `fetchkind/diagnostics`: for subscribers of the diagnostics channels and readers of `meta` in
 * detail — each channel's event, and the records `meta` is made of.
 */
export type {
  AttemptEndEvent,
  AttemptStartEvent,
  BreakerEvent,
  CacheEvent,
  CallEndEvent,
  CallStartEvent,
  CallTrace,
  CallTracingContext,
  ConcurrencyEvent,
  HedgeEvent,
  PolicyWaitEvent,
  RedirectEvent,
  RetryEvent,
} from './call/diagnostics.ts'
export type {
  AttemptRecord,
  BreakerNote,
  BreakerState,
  CacheStatus,
  ConcurrencyNote,
  CooldownNote,
  DelayReason,
  HttpProtocol,
  RedirectHop,
  RedirectReason,
  RetryStop,
  StoreFallback,
} from './result/types.ts'
