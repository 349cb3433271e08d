/**
 * The shape every stage shares. A request flows down the stages, in the registry's order
 * (options/policies.ts), to the attempt; an outcome flows back up, and only the end of the call
 * reads the body.
 *
 * A stage names the options it reads (`Stage<O>`): its policy's own and the kernel's. The request
 * it is given carries the whole call's, which it passes down untouched, so the type lets it read
 * only its own and hand on only what it was given.
 */

import type { CacheStatus, RedirectReason, RefusalReason } from '../result/types.ts'
import type { RequestHead, ResponseBody } from '../transport/types.ts'
import type { AttemptDeadline, CallDeadline, NoResponse } from './deadline.ts'
import type { CallTrace } from './diagnostics.ts'
import type { CallRecord } from './record.ts'

/**
 * One request as a stage sees it: the hop's URL, method, headers and body, the call it belongs to,
 * and the call's options, as far as `O` names them.
 */
export interface HopRequest<O = unknown> extends RequestHead {
  /** Never written to: it may be the client's own defaults. A stage that changes headers makes new ones. */
  readonly headers: Headers
  readonly options: O
  readonly deadline: CallDeadline
  /** The call this hop belongs to, as the diagnostics channels name it. */
  readonly trace: CallTrace
  /**
   * The call's record, which the stages add to as things happen (attempts, redirects, the retry
   * policy's stop) and `meta` is read from: what happened is never carried up on an outcome.
   */
  readonly record: CallRecord
}

interface OutcomeBase {
  /** The URL that answered (or failed). */
  readonly url: URL
  /** Whether the cache answered, and how: `'bypass'` where no cache stage saw it. */
  readonly cache: CacheStatus
}

/** A response head, with its body not yet read. */
export interface ResponseOutcome extends OutcomeBase {
  readonly type: 'response'
  readonly status: number
  readonly statusText: string
  readonly headers: Headers
  readonly body: ResponseBody | null
  /**
   * The deadline of the attempt that produced it, which still bounds the body read; `null` for a
   * response no attempt produced (a stored one, a cooldown's answer), bounded by the call's alone.
   */
  readonly attempt: AttemptDeadline | null
  /** Why a 3xx was not followed; set by the redirect stage. */
  readonly redirectRefusal?: RedirectReason
}

/** No response: a network failure, a deadline, or the caller's abort. */
export interface FailureOutcome extends OutcomeBase {
  readonly type: 'failure'
  readonly failure: NoResponse
}

export type Outcome = ResponseOutcome | FailureOutcome

/** A response a stage makes (an attempt, a cache hit, a cooldown's answer); not from the cache unless it says. */
export function responseOutcome(
  fields: Omit<ResponseOutcome, 'type' | 'cache' | 'redirectRefusal'> &
    Partial<Pick<ResponseOutcome, 'cache'>>,
): ResponseOutcome {
  // Spelled out, not spread, in the attempt's order (call/attempt.ts): one shape for every
  // outcome, and a cache hit makes one for every call.
  const { cache = 'bypass', url, status, statusText, headers, body, attempt } = fields
  return { type: 'response', cache, url, status, statusText, headers, body, attempt }
}

/** No response at `url`. */
export function failureOutcome(url: URL, failure: NoResponse, cache: CacheStatus = 'bypass'): FailureOutcome {
  return { type: 'failure', url, failure, cache }
}

/** A policy refused the request before sending it, with when to come back (`null`: not known). */
export function refusedOutcome(url: URL, reason: RefusalReason, retryAt: number | null): FailureOutcome {
  const retryAfter =
    retryAt === null ? null : { ms: Math.max(0, retryAt - Date.now()), at: new Date(retryAt) }
  return failureOutcome(url, { kind: 'refused', reason, retryAfter })
}

/** The call's own end (its deadline, its caller's abort), met while it waited for a policy's turn. */
export function endedWhileWaiting(request: HopRequest): FailureOutcome {
  const failure = request.deadline.ended ?? {
    kind: 'aborted' as const,
    reason: request.deadline.signal.reason,
  }
  return failureOutcome(request.url, failure)
}

export type Next<R extends HopRequest = HopRequest> = (request: R) => Promise<Outcome>

/**
 * A policy: decides what to do with a request, calling `next` for the stage below it. `O` is the
 * options it reads; the request `R` it is given (and passes down) may carry any more.
 */
export type Stage<O> = <R extends HopRequest<O>>(request: R, next: Next<R>) => Promise<Outcome>

/** A stage as the pipeline of requests `R` holds it. */
export type StageOf<R extends HopRequest> = (request: R, next: Next<R>) => Promise<Outcome>

/** Wraps `last` in `stages`, the first outermost. */
export function compose<R extends HopRequest>(stages: readonly StageOf<R>[], last: Next<R>): Next<R> {
  return stages.reduceRight<Next<R>>((next, stage) => (request) => stage(request, next), last)
}
