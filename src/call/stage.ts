/**
 * The shape every stage shares. A request flows down (redirect → cache → retry → attempt), an
 * outcome flows back up, and only the end of the call reads the body.
 *
 * A stage names the options it reads (`Stage<O>`): its policy's own and the kernel's. The request
 * it is given carries the whole call's, which it passes down untouched, so the type lets it read
 * only its own and hand on only what it was given.
 */

import type { AttemptRecord, CacheStatus, RedirectHop, RedirectReason, RetryStop } from '../result/types.ts'
import type { RequestHead, ResponseBody } from '../transport/types.ts'
import type { AttemptDeadline, CallDeadline, NoResponse } from './deadline.ts'
import type { CallTrace } from './diagnostics.ts'
import type { CallNotes } from './notes.ts'

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
  /** What the call's stages note for `meta`. */
  readonly notes: CallNotes
}

interface OutcomeBase {
  /** The URL that answered (or failed). */
  readonly url: URL
  readonly attempts: readonly AttemptRecord[]
  readonly redirects: readonly RedirectHop[]
  readonly cache: CacheStatus
  /** Why the retry stage did not retry the last attempt, when it was a retryable failure. */
  readonly retryStop?: RetryStop
}

/** A response head, with its body not yet read. */
export interface ResponseOutcome extends OutcomeBase {
  readonly type: 'response'
  readonly status: number
  readonly statusText: string
  readonly headers: Headers
  readonly body: ResponseBody | null
  /** The deadline of the attempt that produced it, which still bounds the body read. */
  readonly attempt: AttemptDeadline
  /** Why a 3xx was not followed; set by the redirect stage. */
  readonly redirectRefusal?: RedirectReason
}

/** No response: a network failure, a deadline, or the caller's abort. */
export interface FailureOutcome extends OutcomeBase {
  readonly type: 'failure'
  readonly failure: NoResponse
}

export type Outcome = ResponseOutcome | FailureOutcome

/**
 * The fields of a response a stage makes (an attempt, a cache hit, a cooldown's answer); the
 * fields other stages own start empty — no redirects followed, the cache not consulted — and are
 * filled in by those stages on the way up.
 */
type MadeResponse = Omit<ResponseOutcome, 'type' | 'redirects' | 'cache' | 'attempts'> &
  Partial<Pick<ResponseOutcome, 'cache' | 'attempts'>>

export function responseOutcome(fields: MadeResponse): ResponseOutcome {
  return { type: 'response', redirects: [], cache: 'bypass', attempts: [], ...fields }
}

/** No response at `url`, with the attempts that led to it. */
export function failureOutcome(
  url: URL,
  failure: NoResponse,
  attempts: readonly AttemptRecord[] = [],
  cache: CacheStatus = 'bypass',
): FailureOutcome {
  return { type: 'failure', url, failure, attempts, redirects: [], cache }
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
