/** Response → result: status to kind, and the fields each kind carries (Location, Retry-After, problem). */

import { redactLocation, redactUrl } from '../guard/redact.ts'
import { parseLocation } from '../http/location.ts'
import { isProblemJson, toProblemDetails } from '../http/problem.ts'
import { serverWait } from '../http/server-wait.ts'
import type { StandardIssue } from '../result/schema.ts'
import {
  type ClientErrorStatus,
  type InformationalStatus,
  isHttpStatus,
  type RedirectStatus,
  type ServerErrorStatus,
  type SuccessStatus,
  statusName,
} from '../result/status.ts'
import type { InvalidResponse, InvalidResponseReason, Meta, Result } from '../result/types.ts'
import type { NoResponse } from './deadline.ts'
import type { ResponseOutcome } from './stage.ts'

export type StatusKind =
  | 'informational'
  | 'success'
  | 'redirect'
  | 'not-modified'
  | 'client-error'
  | 'server-error'

/** The kind a status has, or `null` for a status outside 100–599. */
export function classifyStatus(status: number): StatusKind | null {
  if (!isHttpStatus(status)) return null
  if (status === 304) return 'not-modified'
  return STATUS_KINDS[Math.floor(status / 100) - 1] ?? null
}

/** The kind of each class of status, 1xx to 5xx. */
const STATUS_KINDS = ['informational', 'success', 'redirect', 'client-error', 'server-error'] as const

/** The result of a response whose body has been decoded to `data` (or has none). */
export function responseResult(outcome: ResponseOutcome, data: unknown, meta: Meta): Result {
  const { status } = outcome
  const headers = redactLocation(outcome.headers, outcome.url)
  const kind = classifyStatus(status)
  if (kind === null) return invalidResponse(outcome, 'status-out-of-range', meta)
  const common = { ok: false as const, statusText: statusName(status, outcome.statusText), headers, meta }
  // Each cast below narrows `status` to the range classifyStatus just established for its kind.
  switch (kind) {
    case 'success':
      return {
        kind,
        status: status as SuccessStatus,
        ...common,
        ok: true,
        data,
        location: locationOf(outcome),
      }
    case 'redirect':
      return {
        kind,
        status: status as RedirectStatus,
        ...common,
        data,
        location: locationOf(outcome),
        reason: outcome.redirectRefusal ?? 'policy',
      }
    case 'not-modified':
      return { kind, status: 304, ...common }
    case 'informational':
      return { kind, status: status as InformationalStatus, ...common }
    case 'client-error':
    case 'server-error': {
      const error = {
        ...common,
        data,
        problem: isProblemJson(headers.get('content-type')) ? toProblemDetails(data) : null,
        retryAfter: serverWait(status, headers)?.wait ?? null,
      }
      return kind === 'client-error'
        ? { kind, status: status as ClientErrorStatus, ...error }
        : { kind, status: status as ServerErrorStatus, ...error }
    }
  }
}

/** What an invalid response carries besides its reason: the error, the raw text, a schema's issues. */
export interface InvalidDetails {
  readonly error?: unknown
  readonly text?: string | null
  readonly issues?: readonly StandardIssue[] | null
}

export function invalidResponse(
  outcome: ResponseOutcome,
  reason: InvalidResponseReason,
  meta: Meta,
  { error = null, text = null, issues = null }: InvalidDetails = {},
): InvalidResponse {
  return {
    kind: 'invalid-response',
    ok: false,
    reason,
    status: outcome.status,
    headers: redactLocation(outcome.headers, outcome.url),
    error,
    text,
    issues,
    meta,
  }
}

/** The result of a call that got no response. */
export function noResponseResult(failure: NoResponse, meta: Meta): Result {
  return { ...failure, ok: false, meta }
}

/** The response's Location as a URL, its userinfo redacted. */
function locationOf(outcome: ResponseOutcome): URL | null {
  const location = parseLocation(outcome.headers.get('location'), outcome.url)
  return location && redactUrl(location)
}
