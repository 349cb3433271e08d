/**
 * Hooks, in the manner of ky's: code of the caller's at the edges of a call. A hook that throws
 * never rejects the call: the call ends as `kind: 'hook-error'` with the hook's name and error.
 */
import { checkCallerHeaders } from '../guard/framing-headers.ts'
import type { HookName, Result } from '../result/types.ts'
import type { RequestHead } from '../transport/types.ts'

/**
 * May change `request.headers` (the call's own, to change freely); may return a result, which ends
 * the call without sending it.
 */
export type BeforeRequestHook = (request: RequestHead) => HookAnswer<Result>

/**
 * What a hook may return: an answer, or nothing. `void`, not `undefined`, so that a hook may be
 * an expression whose value nobody wants: `(request) => request.headers.set('x-id', id)`.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: the point is void, as above.
export type HookAnswer<T> = T | void | Promise<T | void>

/** An interim (1xx) response, as `afterInterim` sees it. */
export interface InterimNotice {
  /** The URL of the hop it answered. */
  readonly url: URL
  /** 102 Processing, 103 Early Hints, or another 1xx but 101. */
  readonly status: number
  readonly headers: Headers
}

/**
 * Told of each interim response (RFC 9110 §15.2: 102 Processing, 103 Early Hints) as it arrives,
 * before the final one — where the transport gives them: the undici transport does, fetch does
 * not. Synchronous: a promise it returns is not waited for. Interim responses are never cached.
 */
export type AfterInterimHook = (notice: InterimNotice) => void

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

/**
 * Checks the headers a hook was free to change: one only the transport may set is the hook's
 * mistake, and fails as that hook.
 */
export function checkHookHeaders(hook: HookName, headers: Headers): void {
  try {
    checkCallerHeaders(headers, 'headers')
  } catch (error) {
    throw new HookFailure(hook, error)
  }
}

/** Runs the caller's `hook`, turning anything it throws into a HookFailure naming it. */
export async function runHook<T>(hook: HookName, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw error instanceof HookFailure ? error : new HookFailure(hook, error)
  }
}

/** The hook options for `Hooks` (a record of hook types): each one function or a list, run in order. */
export type HookOptionsOf<Hooks> = {
  readonly [K in keyof Hooks]?: Hooks[K] | readonly Hooks[K][] | undefined
}
