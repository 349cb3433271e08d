/**
 * Waiting within a signal: a delay, or another promise, that ends early when the signal aborts
 * (a call's deadline or its caller's abort; a store's timeout). The one place a timer or an abort
 * listener is set up by hand, and always taken down again.
 */

/** Waits `ms`, or rejects with the signal's reason the moment it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** `work`, or a rejection with the signal's reason once it aborts. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** Waits for `work` to settle, or for `signal` to abort, whichever is first; never rejects. */
export async function untilSettledOrAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  await untilAborted(work, signal).catch(() => {})
}
