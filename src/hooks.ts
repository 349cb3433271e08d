/**
 * Hooks, in the manner of ky's: code of the caller's at the edges of a call. A hook that throws
 * never rejects the call: the call ends as `kind: 'hook-error'` with the hook's name and error.
 */
import type { RequestOptions } from './options.ts'
import type { Result } from './result/types.ts'
import type { RetryNotice } from './retry/options.ts'

/** The request as `beforeRequest` sees it: its headers are the call's own, to change freely. */
export interface HookRequest {
  readonly url: URL
  readonly method: string
  readonly headers: Headers
  readonly body: BodyInit | null
}

export interface AfterResultContext {
  readonly request: HookRequest
  /** How many times `afterResult` has had the call sent again: 0, or 1 on the repeat. */
  readonly resends: number
}

/** May change `request.headers`; may return a result, which ends the call without sending it. */
export type BeforeRequestHook = (request: HookRequest) => Result | undefined | Promise<Result | undefined>

/**
 * May return request options to send the call once more with (merged over the original's, headers
 * by name): after refreshing a token on a 401, say. One resend per call: a hook asked on the
 * resend's result cannot have it sent a third time.
 */
export type AfterResultHook = (
  result: Result,
  context: AfterResultContext,
) => RequestOptions | undefined | Promise<RequestOptions | undefined>

/** Told of each retry before its wait: the attempt, what it got, the delay and why. */
export type BeforeRetryHook = (context: RetryNotice) => void | Promise<void>

export interface Hooks {
  readonly beforeRequest?: readonly BeforeRequestHook[]
  readonly afterResult?: readonly AfterResultHook[]
  readonly beforeRetry?: readonly BeforeRetryHook[]
}

/** Which piece of the caller's code threw. */
export type HookName =
  | 'beforeRequest'
  | 'afterResult'
  | 'beforeRetry'
  | 'shouldRetry'
  | 'onRetry'
  | 'shouldFollow'

/** Carries a hook's exception up through the stages to the call, which makes it a result. */
export class HookFailure extends Error {
  readonly hook: HookName
  override readonly cause: unknown

  constructor(hook: HookName, cause: unknown) {
    super(`fetchkind: the ${hook} hook threw`)
    this.hook = hook
    this.cause = cause
  }
}

/** Runs the caller's `hook`, turning anything it throws into a HookFailure naming it. */
export async function callHook<T>(hook: HookName, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw error instanceof HookFailure ? error : new HookFailure(hook, error)
  }
}
