/**
 * One call to a shared store (`cache.store`, `retry.store`) on a request's behalf. A store is an
 * optimisation, never a new way to fail: what it throws, and a store still silent when the call
 * ends (its caller's abort, its total deadline), is noted in `meta.storeFallbacks` and becomes the
 * `fallback` the stage goes on with.
 */

import { untilAborted } from '../ground/wait.ts'
import type { StoreFallback } from '../result/types.ts'
import type { HopRequest } from './stage.ts'

export async function storeOrFallback<T, F>(
  request: Pick<HopRequest, 'deadline' | 'record'>,
  store: StoreFallback['store'],
  operation: StoreFallback['operation'],
  fallback: F,
  work: () => Promise<T>,
): Promise<T | F> {
  try {
    // A store may answer synchronously; Promise.resolve makes every answer one to wait for.
    return await untilAborted(Promise.resolve(work()), request.deadline.signal)
  } catch (error) {
    request.record.storeFailed(store, operation, error)
    return fallback
  }
}
