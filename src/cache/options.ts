/** The cache's options, defaults and validation. */

import type { CallOptions } from '../call/options.ts'
import {
  checkBoolean,
  checkBytes,
  checkMethods,
  checkObject,
  checkOneOf,
  type NamesOf,
  optionError,
} from '../ground/validate.ts'
import { defaultCredentialKey } from './credentials.ts'
import { MemoryStore } from './memory-store.ts'
import type { CacheStore } from './store.ts'

/** The Fetch standard's cache modes, per request. */
export type CacheMode = 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached'

export interface CacheOptions {
  /** Where entries live. Default: a `MemoryStore` bounded by `maxSize` and `maxEntrySize`. */
  readonly store?: CacheStore | undefined
  /** Bytes of heap the default memory store's entries may take, bookkeeping included. Default 50 MiB. */
  readonly maxSize?: number | undefined
  /** The largest body stored, in bytes; a larger response passes through unstored. Default 5 MiB. */
  readonly maxEntrySize?: number | undefined
  /** Concurrent identical GETs share one network request. Default `true`. */
  readonly singleFlight?: boolean | undefined
  /** The mode of every request that does not name its own. Default `'default'`. */
  readonly mode?: CacheMode | undefined
  /**
   * The key of the hash (HMAC-SHA-256) an entry keeps of the credentials it was fetched with —
   * the store never sees the credentials themselves. Replicas sharing a store (Redis) share
   * entries fetched with credentials only when given the same key: a secret of at least 16
   * characters or bytes. Default: a random key per process.
   */
  readonly credentialKey?: string | Uint8Array | undefined
}

/** The cache's part of a call's options: the request's mode. */
export interface CacheCallOptions {
  readonly cacheMode: CacheMode
}

/** What the cache stage reads of a call's options: its mode, and the kernel's it works with. */
export type CacheReads = CacheCallOptions & Pick<CallOptions, 'sensitiveHeaders' | 'responseType' | 'timeout'>

/** A client's cache: made once, shared by its requests. */
export interface ClientCache {
  readonly store: CacheStore
  readonly maxEntrySize: number
  readonly singleFlight: boolean
  readonly mode: CacheMode
  readonly credentialKey: string | Uint8Array
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

/**
 * A client's cache. A client made by `extend` inherits its parent's: as it is without `cache`, and
 * otherwise its store (unless given one, or a `maxSize` for a new memory store), key and settings
 * as defaults.
 */
export function resolveClientCache(
  options: CacheOptions | false | undefined,
  parent?: ClientCache | false,
): ClientCache | false {
  if (options === undefined && parent !== undefined) return parent
  if (options === false) return false
  checkObject(options, 'cache')
  const inherited = parent || undefined
  const {
    store,
    maxSize = 50 * MIB,
    maxEntrySize = inherited?.maxEntrySize ?? 5 * MIB,
    singleFlight = inherited?.singleFlight ?? true,
    mode = inherited?.mode ?? 'default',
    credentialKey = inherited?.credentialKey,
  } = options ?? {}
  if (store !== undefined) checkMethods<CacheStore>(store, ['get', 'set', 'delete'], 'cache.store', 'a store')
  checkBytes(maxSize, 'cache.maxSize')
  checkBytes(maxEntrySize, 'cache.maxEntrySize')
  checkBoolean(singleFlight, 'cache.singleFlight')
  if (credentialKey !== undefined && !isSecret(credentialKey)) {
    throw optionError('cache.credentialKey', 'a string or Uint8Array of at least 16 characters or bytes', '…')
  }
  // A maxSize of the child's own is for a memory store of its own.
  const sharedStore = inherited && options?.maxSize === undefined ? inherited.store : undefined
  return {
    store: store ?? sharedStore ?? new MemoryStore({ maxSize, maxEntrySize }),
    maxEntrySize,
    singleFlight,
    mode: cacheMode(mode, 'cache.mode'),
    credentialKey: credentialKey ?? defaultCredentialKey(),
  }
}

function isSecret(value: unknown): boolean {
  if (typeof value === 'string') return value.length >= 16
  return value instanceof Uint8Array && value.byteLength >= 16
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
  return checkOneOf(value, CACHE_MODES, option)
}

/** The names a client's `cache` takes. */
export const CACHE_NAMES = {
  store: true,
  maxSize: true,
  maxEntrySize: true,
  singleFlight: true,
  mode: true,
  credentialKey: true,
} as const satisfies NamesOf<CacheOptions>
