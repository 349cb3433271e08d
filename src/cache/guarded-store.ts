/** A cache store as a request uses it: whatever the store does wrong, the call goes on. */
import type { HopRequest } from '../call/stage.ts'
import { storeOrFallback } from '../call/store-fallback.ts'
import { MemoryStore } from './memory-store.ts'
import type { CacheStore } from './store.ts'

/**
 * A store whose failures read as misses and lost writes, noted in the call's `meta.storeFallbacks`:
 * the cache is an optimisation, never a new way to fail.
 */
export function guarded(store: CacheStore, request: HopRequest): CacheStore {
  // The in-memory store answers at once and has no network to fail on: nothing to guard, and no
  // race with the call's signal to set up on every lookup. (Exactly it: a subclass may do more.)
  if (Object.getPrototypeOf(store) === MemoryStore.prototype) return store
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
