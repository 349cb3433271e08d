/** The pure parts of the retry decision: what is retryable, and how long to wait before it. */

import type { Outcome } from '../call/stage.ts'
import { serverWait } from '../http/server-wait.ts'
import type { DelayReason, RetryStop } from '../result/types.ts'
import { isTransientNetworkCode, isUnsentNetworkCode } from '../transport/network-error.ts'
import type { RequestHead } from '../transport/types.ts'
import { backoffDelay } from './backoff.ts'
import type { RetryPolicy } from './options.ts'

/** Whether the policy retries this outcome on its own, before any hook is asked. */
export function isRetryable(outcome: Outcome, policy: RetryPolicy): boolean {
  if (outcome.type === 'response') return policy.statusCodes.has(outcome.status)
  const { failure } = outcome
  if (!policy.networkErrors) return false
  if (failure.kind === 'network-error') return isTransientNetworkCode(failure.code)
  // The total deadline and the caller's abort end the call; only one attempt's deadline is worth retrying.
  return failure.kind === 'timeout' && failure.phase === 'attempt'
}

/** Whether another attempt is possible at all: the call's own deadline and abort end it. */
export function canRetryAtAll(outcome: Outcome): boolean {
  if (outcome.type === 'response') return true
  const { failure } = outcome
  return failure.kind === 'network-error' || (failure.kind === 'timeout' && failure.phase === 'attempt')
}

/**
 * Idempotent methods are retried by default (RFC 9110 §9.2.2); POST and PATCH only when the
 * caller lists them or sends an Idempotency-Key, which makes a repeat safe on the server — or
 * when the attempt failed before anything was sent (a refused connection), so there is nothing
 * on the server to repeat.
 */
export function methodAllowsRetry(
  method: string,
  headers: Headers,
  outcome: Outcome,
  policy: RetryPolicy,
): boolean {
  if (policy.methods.has(method.toUpperCase()) || headers.has('idempotency-key')) return true
  return (
    outcome.type === 'failure' &&
    outcome.failure.kind === 'network-error' &&
    isUnsentNetworkCode(outcome.failure.code)
  )
}

export type RetryPlan =
  | { readonly retry: true; readonly delay: number; readonly delayReason: DelayReason }
  | { readonly retry: false; readonly stop: RetryStop }

export interface PlanInput {
  readonly outcome: Outcome
  /** Retries already made for this request. */
  readonly retried: number
  /** The wait before the previous retry, for decorrelated jitter. */
  readonly previousDelay: number
  readonly body: RequestHead['body']
  /** Milliseconds left before the total deadline; `null` without one. */
  readonly timeLeft: number | null
  readonly now: number
  readonly random?: () => number
}

/** The limits that hold whatever anyone thinks of the failure, and the wait if none is hit. */
export function planRetry(input: PlanInput, policy: RetryPolicy): RetryPlan {
  const { outcome, retried, previousDelay, body, timeLeft, now, random } = input
  const stop = (reason: RetryStop): RetryPlan => ({ retry: false, stop: reason })
  if (retried >= policy.limit) return stop('limit')
  // A stream was consumed by the attempt that failed; it cannot be sent again.
  if (body instanceof ReadableStream) return stop('body-not-replayable')

  const asked = outcome.type === 'response' ? serverWait(outcome.status, outcome.headers, now) : null
  if (asked && asked.wait.ms > policy.maxRetryAfter) return stop('max-retry-after')
  const delay = asked ? asked.wait.ms : backoffDelay(retried + 1, previousDelay, policy.backoff, random)
  if (timeLeft !== null && delay >= timeLeft) return stop('deadline')
  return { retry: true, delay, delayReason: asked ? asked.source : 'backoff' }
}
