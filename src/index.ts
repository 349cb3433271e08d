export type { PaginationOptions } from './adapters/paginate.ts'
export type { FetchLike } from './adapters/to-fetch.ts'
export { MemoryStore, type MemoryStoreOptions } from './cache/memory-store.ts'
export type { CacheMode, CacheOptions } from './cache/options.ts'
export type { CacheEntry, CacheStore } from './cache/store.ts'
export type {
  AttemptEndEvent,
  AttemptStartEvent,
  BreakerEvent,
  CacheEvent,
  CallEndEvent,
  CallStartEvent,
  CallTrace,
  CallTracingContext,
  PolicyWaitEvent,
  RedirectEvent,
  RetryEvent,
} from './call/diagnostics.ts'
export type { BodylessOptions, MethodOptions } from './client.ts'
export { type CallFunction, type Client, createClient, type DataFor, request } from './client.ts'
export { type FromResponseOptions, fromResponse } from './from-response.ts'
export type { AddressGuardOptions } from './guard/address-guard.ts'
export type { ProblemDetails } from './http/problem.ts'
export { parseRetryAfter, type RetryAfter } from './http/retry-after.ts'
export type {
  AfterInterimHook,
  AfterResultContext,
  AfterResultHook,
  BeforeRedirectHook,
  BeforeRequestHook,
  BeforeRetryHook,
  BodySource,
  ClientOptions,
  HeadersOption,
  HookOptions,
  HookRequest,
  InterimNotice,
  Progress,
  ProgressListener,
  RedirectNotice,
  RequestOptions,
  ResponseType,
  SearchParamsInit,
  TimeoutOptions,
} from './options/types.ts'
export type { RedirectOptions } from './redirect/options.ts'
export type { BreakerNews, BreakerStore, ProbeClaim } from './resilience/breaker-store.ts'
export { byOriginAndCredential, type PolicyKey } from './resilience/key.ts'
export type { LimiterSettings, RateLimitStore, SharedGrant } from './resilience/limiter.ts'
export type { BulkheadOptions, CircuitBreakerOptions, RateLimitOptions } from './resilience/options.ts'
export { isKind, isSuccess, unwrapOr } from './result/guards.ts'
export { HttpError, type Unsuccessful, unwrap } from './result/http-error.ts'
export type {
  ClassHandlers,
  Exhaustive,
  FallbackHandler,
  KindHandlers,
  KindWithStatus,
  MatchReturn,
  StatusHandlers,
} from './result/match.ts'
export { type MatchHandlers, match, type ResultWithStatus } from './result/match.ts'
export type { InferOutput, StandardIssue, StandardSchemaV1 } from './result/schema.ts'
export {
  type ClientErrorStatus,
  type HttpStatus,
  type InformationalStatus,
  isHttpStatus,
  type NotModifiedStatus,
  type RedirectStatus,
  type RegisteredStatus,
  type ServerErrorStatus,
  STATUS_NAMES,
  type StatusClass,
  type StatusInClass,
  type SuccessStatus,
  statusName,
} from './result/status.ts'
export type {
  Aborted,
  AttemptRecord,
  BreakerNote,
  BreakerState,
  CacheStatus,
  ClientError,
  CooldownNote,
  DelayReason,
  FailureKind,
  HookError,
  HookName,
  HttpProtocol,
  Informational,
  InvalidResponse,
  InvalidResponseReason,
  Meta,
  NetworkError,
  NetworkErrorCode,
  NotModified,
  Redirect,
  RedirectHop,
  RedirectReason,
  RefusalReason,
  Refused,
  Result,
  ResultKind,
  RetryStop,
  ServerError,
  StatusResult,
  StoreFallback,
  Success,
  Timeout,
} from './result/types.ts'
export type { BudgetOptions } from './retry/budget.ts'
export { MemoryRetryStore } from './retry/memory-store.ts'
export type {
  BackoffOptions,
  Jitter,
  RetryContext,
  RetryNotice,
  RetryOptions,
} from './retry/options.ts'
export type { Cooldown, CooldownEvidence, RetryStore } from './retry/store.ts'
export { type FetchFunction, fetchTransport } from './transport/fetch.ts'
export { BodyTooLargeError } from './transport/response-body.ts'
export type {
  BodyMaker,
  RequestHead,
  ResolvedAddressCheck,
  ResponseBody,
  Transport,
  TransportRequest,
  TransportResponse,
} from './transport/types.ts'
