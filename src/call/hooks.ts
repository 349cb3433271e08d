/**
 * Hooks, in the manner of ky's: code of the caller's at the edges of a call. A hook that throws
 * never rejects the call: the call ends as `kind: 'hook-error'` with the hook's name and error.
 */
import { checkCallerHeaders } from '../guard/framing-headers.ts'
import type { HookName } from '../result/types.ts'

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
