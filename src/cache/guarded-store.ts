/** A cache store as a request uses it: whatever the store does wrong, the call goes on. */
import type { HopRequest } from '../pipeline/stage.ts'
import { storeOrFallback } from '../pipeline/store-fallback.ts'
import type { CacheStore } from './store.ts'

/**
 * A store whose failures read as misses and lost writes, noted in the call's `meta.storeFallbacks`:
 * the cache is an optimisation, never a new way to fail.
 */
export function guarded(store: CacheStore, request: HopRequest): CacheStore {
  const attempt = <T>(operation: 'get' | 'set' | 'delete', work: () => Promise<T>) =>
    storeOrFallback(request, 'cache', operation, undefined, work)
  return {
    get: (key) => attempt('get', () => store.get(key)),
    set: async (key, entry) => {
      await attempt('set', () => store.set(key, entry))
    },
    delete: async (key) => {
      await attempt('delete', () => store.delete(key))
    },
  }
}
