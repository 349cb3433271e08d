/**
 * Results built by hand, for testing code that switches on `result.kind`: every kind, with the
 * fields the client would give it and a complete, plausible `meta` (one attempt, no redirects).
 * Built by the same functions the client uses, so that `problem`, `retryAfter`, `location` and
 * `statusText` come out as they would from a real response.
 */

import { invalidResponse as invalidResult, noResponseResult, responseResult } from '../call/classify.ts'
import type { NoResponse } from '../call/deadline.ts'
import type { ResponseOutcome } from '../call/stage.ts'
import type { HeadersInit } from '../http/fetch-types.ts'
import type {
  ClientErrorStatus,
  InformationalStatus,
  RedirectStatus,
  ServerErrorStatus,
  SuccessStatus,
} from '../result/status.ts'
import type {
  Aborted,
  ClientError,
  HookError,
  HookName,
  Informational,
  InvalidResponse,
  InvalidResponseReason,
  Meta,
  NetworkError,
  NetworkErrorCode,
  NotModified,
  Redirect,
  RedirectReason,
  RefusalReason,
  Refused,
  ServerError,
  Success,
  Timeout,
} from '../result/types.ts'

/** Where the result came from, and anything of `meta` to set; the rest is plausible defaults. */
export interface ResultOptions {
  /** Default `'https://api.example.test/'`. */
  readonly url?: string | URL | undefined
  /** Default `'GET'`. */
  readonly method?: string | undefined
  /** Merged over the defaults: one attempt of 12 ms, nothing else of note. */
  readonly meta?: Partial<Meta> | undefined
}

/** A response's parts, for the kinds that have one. */
export interface ResponseResultOptions extends ResultOptions {
  /** Response headers; `data` given as an object without a Content-Type gets `application/json`. */
  readonly headers?: HeadersInit | undefined
  /** The server's reason phrase, for a status the registry does not name. */
  readonly statusText?: string | undefined
}

const DEFAULT_URL = 'https://api.example.test/'

function metaFor(options: ResultOptions, status: number | null, error: string | null): Meta {
  const url = new URL(options.url ?? DEFAULT_URL).href
  const method = options.method ?? 'GET'
  return {
    request: { method, url },
    attempts: [{ url, status, error, duration: 12, protocol: null, delay: 0, delayReason: null }],
    redirects: [],
    cache: method === 'GET' || method === 'HEAD' ? 'miss' : 'bypass',
    retryStop: null,
    cooldown: null,
    storeFallbacks: [],
    breaker: null,
    concurrency: null,
    duration: 12,
    ...options.meta,
  }
}

function outcomeFor(status: number, data: unknown, options: ResponseResultOptions, refusal?: RedirectReason) {
  const headers = new Headers(options.headers)
  if (
    data !== undefined &&
    typeof data !== 'string' &&
    !(data instanceof Uint8Array) &&
    !headers.has('content-type')
  ) {
    headers.set('content-type', 'application/json')
  }
  // Only the fields classify.ts reads: the body is already `data`.
  return {
    type: 'response',
    url: new URL(options.url ?? DEFAULT_URL),
    status,
    statusText: options.statusText ?? '',
    headers,
    body: null,
    redirectRefusal: refusal,
  } as unknown as ResponseOutcome
}

function statusResult<R>(
  status: number,
  data: unknown,
  options: ResponseResultOptions,
  refusal?: RedirectReason,
): R {
  return responseResult(outcomeFor(status, data, options, refusal), data, metaFor(options, status, null)) as R
}

/** A 2xx with `data` (default status 200). */
export function success<T>(
  data: T,
  options: ResponseResultOptions & { status?: SuccessStatus } = {},
): Success<T> {
  return statusResult(options.status ?? 200, data, options)
}

/** A 4xx; a problem+json Content-Type makes `data` its `problem`, a Retry-After header its `retryAfter`. */
export function clientError(
  status: ClientErrorStatus,
  data?: unknown,
  options: ResponseResultOptions = {},
): ClientError {
  return statusResult(status, data, options)
}

/** A 5xx, as `clientError`. */
export function serverError(
  status: ServerErrorStatus,
  data?: unknown,
  options: ResponseResultOptions = {},
): ServerError {
  return statusResult(status, data, options)
}

/** A 3xx the policy did not follow, with its Location (relative ones resolved against `url`). */
export function redirect(
  status: RedirectStatus,
  location: string | null,
  options: ResponseResultOptions & { reason?: RedirectReason } = {},
): Redirect {
  const headers = new Headers(options.headers)
  if (location !== null) headers.set('location', location)
  return statusResult(status, undefined, { ...options, headers }, options.reason ?? 'policy')
}

/** A 304 for validators of the caller's own. */
export function notModified(options: ResponseResultOptions = {}): NotModified {
  return statusResult(304, undefined, options)
}

/** A 1xx given as the final answer. */
export function informational(
  status: InformationalStatus,
  options: ResponseResultOptions = {},
): Informational {
  return statusResult(status, undefined, options)
}

function failure<R>(failed: NoResponse, options: ResultOptions, attemptError: string): R {
  return noResponseResult(failed, metaFor(options, null, attemptError)) as R
}

/** No response: a network failure with `code` (default `'ECONNREFUSED'`). */
export function networkError(
  code: NetworkErrorCode = 'ECONNREFUSED',
  options: ResultOptions = {},
): NetworkError {
  const host = new URL(options.url ?? DEFAULT_URL).host
  const error = Object.assign(new Error(`connect ${code} ${host}`), { code })
  return failure({ kind: 'network-error', code, message: error.message, error }, options, code)
}

/**
 * A deadline passed: an attempt's (default, 10 000 ms), the call's, or the caller's signal's.
 * `inherited` makes a `'total'` one a deadline scope's (`withDeadline`).
 */
export function timeout(
  phase: 'attempt' | 'total' | 'signal' = 'attempt',
  limit = phase === 'total' ? 30_000 : 10_000,
  options: ResultOptions & { readonly inherited?: boolean | undefined } = {},
): Timeout {
  const failed: NoResponse =
    phase === 'signal'
      ? {
          kind: 'timeout',
          phase,
          limit: null,
          reason: new DOMException('The operation timed out.', 'TimeoutError'),
          inherited: false,
        }
      : { kind: 'timeout', phase, limit, inherited: phase === 'total' && options.inherited === true }
  return failure(failed, options, 'timeout')
}

/** The caller's signal fired with `reason` (default an `AbortError`). */
export function aborted(
  reason: unknown = new DOMException('This operation was aborted', 'AbortError'),
  options: ResultOptions = {},
): Aborted {
  return failure({ kind: 'aborted', reason }, options, 'aborted')
}

/** A response that could not be trusted (default status 200), with what went wrong. */
export function invalidResponse(
  reason: InvalidResponseReason,
  details: { status?: number; text?: string | null; error?: unknown } & ResponseResultOptions = {},
): InvalidResponse {
  const status = details.status ?? 200
  return invalidResult(outcomeFor(status, undefined, details), reason, metaFor(details, status, null), {
    error: details.error ?? null,
    text: details.text ?? null,
  })
}

/** A policy refused the call before sending (nothing was sent); `retryAfterMs` when it says when to come back. */
export function refused(
  reason: RefusalReason,
  retryAfterMs: number | null = null,
  options: ResultOptions = {},
): Refused {
  const retryAfter =
    retryAfterMs === null ? null : { ms: retryAfterMs, at: new Date(Date.now() + retryAfterMs) }
  const meta = { ...metaFor(options, null, null), attempts: [], ...options.meta }
  return { kind: 'refused', ok: false, reason, retryAfter, meta }
}

/** A hook of the caller's threw `error`. */
export function hookError(hook: HookName, error: unknown, options: ResultOptions = {}): HookError {
  // A hook's failure ends the call where the hook ran, before any attempt by default.
  const meta = { ...metaFor(options, null, null), attempts: [], ...options.meta }
  return { kind: 'hook-error', ok: false, hook, error, meta }
}
