/** The cache's options, defaults and validation. */
import { checkBoolean, checkBytes, checkObject, optionError } from '../validate.ts'
import { MemoryStore } from './memory-store.ts'
import type { CacheStore } from './store.ts'

/** The Fetch standard's cache modes, per request. */
export type CacheMode = 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached'

export interface CacheOptions {
  /** Where entries live. Default: a `MemoryStore` bounded by `maxSize` and `maxEntrySize`. */
  readonly store?: CacheStore
  /** Bytes the default memory store may hold. Default 50 MiB. */
  readonly maxSize?: number
  /** The largest body stored, in bytes; a larger response passes through unstored. Default 5 MiB. */
  readonly maxEntrySize?: number
  /** Concurrent identical GETs share one network request. Default `true`. */
  readonly singleFlight?: boolean
  /** The mode of every request that does not name its own. Default `'default'`. */
  readonly mode?: CacheMode
}

/** A client's cache: made once, shared by its requests. */
export interface ClientCache {
  readonly store: CacheStore
  readonly maxEntrySize: number
  readonly singleFlight: boolean
  readonly mode: CacheMode
}

export const CACHE_MODES: readonly CacheMode[] = [
  'default',
  'no-store',
  'reload',
  'no-cache',
  'force-cache',
  'only-if-cached',
]
const MIB = 1024 * 1024

export function resolveClientCache(options: CacheOptions | false | undefined): ClientCache | false {
  if (options === false) return false
  checkObject(options, 'cache')
  const {
    store,
    maxSize = 50 * MIB,
    maxEntrySize = 5 * MIB,
    singleFlight = true,
    mode = 'default',
  } = options ?? {}
  if (store !== undefined && !isStore(store))
    throw optionError('cache.store', 'a store with get, set and delete', store)
  checkBytes(maxSize, 'cache.maxSize')
  checkBytes(maxEntrySize, 'cache.maxEntrySize')
  checkBoolean(singleFlight, 'cache.singleFlight')
  return {
    store: store ?? new MemoryStore({ maxSize, maxEntrySize }),
    maxEntrySize,
    singleFlight,
    mode: cacheMode(mode, 'cache.mode'),
  }
}

/** A request's `cache`: a mode, or `false` for `'no-store'`. */
export function resolveRequestCacheMode(
  value: CacheMode | false | undefined,
  client: ClientCache | false,
): CacheMode {
  if (client === false || value === false) return 'no-store'
  return value === undefined ? client.mode : cacheMode(value, 'cache')
}

function cacheMode(value: unknown, option: string): CacheMode {
  if (!CACHE_MODES.includes(value as CacheMode)) {
    throw optionError(option, CACHE_MODES.map((mode) => `'${mode}'`).join(', '), value)
  }
  return value as CacheMode
}

function isStore(value: unknown): value is CacheStore {
  const store = value as Partial<CacheStore> | null
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.get === 'function' &&
    typeof store.set === 'function' &&
    typeof store.delete === 'function'
  )
}
