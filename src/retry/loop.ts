/**
 * The retry loop, on p-retry: each attempt says what comes next — a value to return, or how long
 * to wait before the next attempt. p-retry is told not to wait itself (`minTimeout: 0`, and it
 * has no per-attempt delay): the wait is slept in `onFailedAttempt`, on the call's signal, so that
 * the caller's abort or the total deadline ends it at once. Anything an attempt throws is never
 * a reason to try again: it ends the loop.
 */
import { sleep } from '../ground/wait.ts'

/**
 * p-retry, loaded at the first retry: most processes' calls are answered the first time, and its
 * import is a tenth of the time from a process's start to its first response.
 */
let loading: Promise<typeof import('p-retry')> | undefined
const pRetryModule = () => {
  loading ??= import('p-retry')
  return loading
}

export type Step<T> =
  | { readonly done: true; readonly value: T }
  | { readonly done: false; readonly wait: number }

/** Thrown inside p-retry's loop to have it go round again; carries the wait already decided. */
class Again extends Error {
  readonly wait: number

  constructor(wait: number) {
    super('fetchkind: retrying')
    this.wait = wait
  }
}

/**
 * Runs `attempt(1)`, `attempt(2)`, … until one is done, at most `retries` + 1 times; rejects
 * with the signal's reason when it aborts, and with whatever an attempt throws.
 */
export async function runAttempts<T>(
  attempt: (number: number) => Promise<Step<T>>,
  { retries, signal }: { readonly retries: number; readonly signal: AbortSignal },
): Promise<T> {
  const { default: pRetry } = await pRetryModule()
  return pRetry(
    async (number) => {
      const step = await attempt(number)
      if (step.done) return step.value
      throw new Again(step.wait)
    },
    {
      retries,
      minTimeout: 0,
      signal,
      onFailedAttempt: async ({ error }) => {
        if (error instanceof Again) await sleep(error.wait, signal)
      },
      shouldRetry: ({ error }) => error instanceof Again,
    },
  )
}
