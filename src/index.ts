/**
 * `fetchkind`: what a caller needs — the client, the result and its helpers, the options and
 * hooks. Transport authors import from `fetchkind/transport`, store authors from
 * `fetchkind/stores`, diagnostics subscribers from `fetchkind/diagnostics`.
 */
export type { PaginationOptions } from './adapters/paginate.ts'
export type { FetchLike } from './adapters/to-fetch.ts'
export type { CacheMode, CacheOptions } from './cache/options.ts'
export { byOriginAndCredential } from './call/policy-key.ts'
export { createClient, request } from './client.ts'
export type { BodylessOptions, CallFunction, Client, DataFor, MethodOptions } from './client-types.ts'
export type { AdaptiveConcurrencyOptions } from './concurrency/options.ts'
export {
  deadlineFrom,
  deadlineMiddleware,
  type InboundDeadlineOptions,
  type InboundHeaders,
} from './deadline/inbound.ts'
export type { DeadlineOptions } from './deadline/options.ts'
export { deadlineLeft, withDeadline } from './deadline/scope.ts'
export { fromResponse } from './from-response.ts'
export type { AddressGuardOptions } from './guard/address-guard.ts'
export type { HedgeOptions } from './hedge/options.ts'
export { parseRetryAfter } from './http/retry-after.ts'
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
  InterimNotice,
  ProgressListener,
  RedirectNotice,
  RequestOptions,
  ResponseType,
  SearchParamsInit,
  TimeoutOptions,
} from './options/types.ts'
export type { RedirectOptions } from './redirect/options.ts'
export type { BulkheadOptions, CircuitBreakerOptions, RateLimitOptions } from './resilience/options.ts'
export { isKind, isSuccess, unwrapOr } from './result/guards.ts'
export { HttpError, unwrap } from './result/http-error.ts'
export { type MatchHandlers, match } from './result/match.ts'
export type { StandardSchemaV1 } from './result/schema.ts'
export { type HttpStatus, isHttpStatus, STATUS_NAMES, statusName } from './result/status.ts'
export type {
  Aborted,
  ClientError,
  FailureKind,
  HookError,
  Informational,
  InvalidResponse,
  Meta,
  NetworkError,
  NetworkErrorCode,
  NotModified,
  Redirect,
  Refused,
  Result,
  ResultKind,
  ServerError,
  Success,
  Timeout,
} from './result/types.ts'
export type { BackoffOptions, RetryContext, RetryNotice, RetryOptions } from './retry/options.ts'
export { BodyTooLargeError } from './transport/response-body.ts'
