/**
 * The result union: one value for every outcome of a call, discriminated by `kind`.
 * HTTP and network outcomes are values of this type; nothing here is ever thrown.
 */

import type { ProblemDetails } from '../http/problem.ts'
import type { RetryAfter } from '../http/retry-after.ts'
import type { Meta } from './meta.ts'
import type { StandardIssue } from './schema.ts'
import type {
  ClientErrorStatus,
  InformationalStatus,
  NotModifiedStatus,
  RedirectStatus,
  ServerErrorStatus,
  SuccessStatus,
} from './status.ts'

export type {
  AttemptRecord,
  BreakerNote,
  BreakerState,
  CacheStatus,
  ConcurrencyNote,
  CooldownNote,
  DelayReason,
  HttpProtocol,
  Meta,
  RedirectHop,
  RetryStop,
  StoreFallback,
} from './meta.ts'

/** Which piece of the caller's code threw. */
/** How the body of a response becomes `data`. */
export type ResponseType = 'auto' | 'json' | 'text' | 'bytes' | 'stream' | 'none'

export type HookName =
  | 'beforeRequest'
  | 'afterResult'
  | 'beforeRetry'
  | 'shouldRetry'
  | 'onRetry'
  | 'shouldFollow'
  | 'beforeRedirect'
  | 'afterInterim'
  | 'body'
  | 'key'
  | 'onUploadProgress'
  | 'onDownloadProgress'

/** Why a 3xx was returned to the caller instead of followed. */
export type RedirectReason =
  | 'policy'
  | 'cross-origin'
  | 'downgrade'
  | 'protocol'
  | 'max-redirects'
  | 'loop'
  | 'body-not-replayable'
  | 'invalid-location'
  | 'credentials-in-location'

/** Every kind but `success`: `ok` is `false`, as fetch's `response.ok` is outside 2xx. */
interface NotOk {
  /** `true` only on a `success`; narrows the result as `kind === 'success'` does. */
  readonly ok: false
}

interface ResponseFields<S extends number> {
  readonly status: S
  /** The IANA registry's name for `status` (the server's reason phrase for unregistered codes). */
  readonly statusText: string
  readonly headers: Headers
  readonly meta: Meta
}

/** 2xx. */
export interface Success<T = unknown> extends ResponseFields<SuccessStatus> {
  readonly kind: 'success'
  /** `true` only on a `success` (fetch's `response.ok`, for 2xx); narrows the result as `kind` does. */
  readonly ok: true
  /** The decoded body (see `responseType`); `undefined` for 204, 205, HEAD and empty bodies. */
  readonly data: T
  /** The Location header resolved against the request URL (201 Created), or `null`. */
  readonly location: URL | null
}

/** A 3xx (but 304) that the redirect policy did not follow. */
export interface Redirect extends ResponseFields<RedirectStatus>, NotOk {
  readonly kind: 'redirect'
  /** The Location header resolved against the request URL; `null` when missing or unparsable. */
  readonly location: URL | null
  readonly reason: RedirectReason
  readonly data: unknown
}

/** A 304 the caller asked for with its own validators (or one with nothing cached to answer it). */
export interface NotModified extends ResponseFields<NotModifiedStatus>, NotOk {
  readonly kind: 'not-modified'
}

/** 4xx. */
export interface ClientError extends ResponseFields<ClientErrorStatus>, NotOk {
  readonly kind: 'client-error'
  readonly data: unknown
  /** The RFC 9457 problem, when the body is `application/problem+json`. */
  readonly problem: ProblemDetails | null
  /** The wait the server asked for: Retry-After, else (on 429 and 503) the RateLimit fields; or `null`. */
  readonly retryAfter: RetryAfter | null
}

/** 5xx. */
export interface ServerError extends ResponseFields<ServerErrorStatus>, NotOk {
  readonly kind: 'server-error'
  readonly data: unknown
  readonly problem: ProblemDetails | null
  readonly retryAfter: RetryAfter | null
}

/** A 1xx that a transport surfaced as the final answer (101 Switching Protocols, 103 Early Hints). */
export interface Informational extends ResponseFields<InformationalStatus>, NotOk {
  readonly kind: 'informational'
}

/** Stable codes for the usual network failures; any other code a transport reports passes through. */
export type NetworkErrorCode =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ENOTFOUND'
  | 'ETIMEDOUT'
  | 'EAI_AGAIN'
  | 'EPIPE'
  | 'EHOSTUNREACH'
  | 'ENETUNREACH'
  | 'UND_ERR_SOCKET'
  | 'UND_ERR_CONNECT_TIMEOUT'
  | 'UND_ERR_HEADERS_TIMEOUT'
  | 'UND_ERR_BODY_TIMEOUT'
  | 'UND_ERR_HEADERS_OVERFLOW'
  | 'CERT_HAS_EXPIRED'
  | 'DEPTH_ZERO_SELF_SIGNED_CERT'
  | 'SELF_SIGNED_CERT_IN_CHAIN'
  | 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
  | 'ERR_TLS_CERT_ALTNAME_INVALID'
  | 'UNKNOWN'
  | (string & {})

/** No response: the connection failed, was reset, or the name did not resolve. */
export interface NetworkError extends NotOk {
  readonly kind: 'network-error'
  readonly code: NetworkErrorCode
  /** The message of the deepest cause, which usually names the address. */
  readonly message: string
  /** The error the transport raised, with its cause chain intact. */
  readonly error: unknown
  readonly meta: Meta
}

/**
 * A deadline passed: one attempt's (`timeout.attempt`), the whole call's (`timeout.total`), or the
 * one your signal carried (`AbortSignal.timeout()`).
 */
export type Timeout = DeadlineTimeout | SignalTimeout

/** A fetchkind deadline passed. */
export interface DeadlineTimeout extends NotOk {
  readonly kind: 'timeout'
  readonly phase: 'attempt' | 'total'
  /** The limit that passed, in milliseconds. */
  readonly limit: number
  /**
   * The total deadline that passed was one the call inherited: the deadline scope it ran in
   * (`withDeadline`, a server's inbound request), nearer than its own; `limit` is then the time
   * the call had left when it started. Always `false` for an attempt's (and for your signal's).
   */
  readonly inherited: boolean
  readonly meta: Meta
}

/** Your signal fired with a `TimeoutError` (`AbortSignal.timeout()`, or one of your own). */
export interface SignalTimeout extends NotOk {
  readonly kind: 'timeout'
  readonly phase: 'signal'
  /** Unknown to fetchkind: the signal does not say. */
  readonly limit: null
  /** The signal's reason, the `TimeoutError`. */
  readonly reason: unknown
  /** Never: your signal is your own (there so that any timeout can be asked). */
  readonly inherited: false
  readonly meta: Meta
}

/** The caller's AbortSignal fired. */
export interface Aborted extends NotOk {
  readonly kind: 'aborted'
  /** The signal's reason. */
  readonly reason: unknown
  readonly meta: Meta
}

export type InvalidResponseReason =
  | 'status-out-of-range'
  | 'malformed-body'
  | 'truncated-body'
  | 'schema-mismatch'
  | 'body-too-large'

/** A response arrived but cannot be trusted: a status outside 100–599, a body that fails to decode, a body cut short. */
export interface InvalidResponse extends NotOk {
  readonly kind: 'invalid-response'
  readonly reason: InvalidResponseReason
  /** The status as received; `null` only when none could be read. */
  readonly status: number | null
  readonly headers: Headers
  /** What went wrong: the SyntaxError of a JSON body, the network error that cut the body short. */
  readonly error: unknown
  /** The body as text when it arrived whole but failed to decode, so nothing is lost. */
  readonly text: string | null
  /** What the `schema` found wrong with the body (`reason: 'schema-mismatch'`); `null` otherwise. */
  readonly issues: readonly StandardIssue[] | null
  readonly meta: Meta
}

/** The results that carry an HTTP status from 100 to 599. */
export type StatusResult<T = unknown> =
  | Success<T>
  | Redirect
  | NotModified
  | ClientError
  | ServerError
  | Informational

/** Why a policy refused a call before anything was sent. */
export type RefusalReason = 'circuit-open' | 'rate-limited' | 'bulkhead-full' | 'concurrency-limited'

/**
 * A resilience policy refused the call before it was sent: the circuit breaker is open, no rate
 * limit token came within `rateLimit.maxWait`, the bulkhead was full, or the adaptive concurrency
 * limit and its queue were. Nothing reached the upstream.
 */
export interface Refused extends NotOk {
  readonly kind: 'refused'
  readonly reason: RefusalReason
  /** When a call may be let through: the breaker's half-open time, the next token; `null` for a full bulkhead or concurrency limit. */
  readonly retryAfter: RetryAfter | null
  readonly meta: Meta
}

/** A hook of the caller's threw: the call ended there, with the hook's error. */
export interface HookError extends NotOk {
  readonly kind: 'hook-error'
  readonly hook: HookName
  /** What the hook threw. */
  readonly error: unknown
  readonly meta: Meta
}

/** Every outcome of a call. `T` is the type of a success's `data`. */
export type Result<T = unknown> =
  | StatusResult<T>
  | NetworkError
  | Timeout
  | Aborted
  | InvalidResponse
  | Refused
  | HookError

export type ResultKind = Result['kind']

/** Every kind but `success`. */
export type FailureKind = Exclude<ResultKind, 'success'>
