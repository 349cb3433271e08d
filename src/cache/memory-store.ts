/** The default store: in memory, least recently used first out, bounded in bytes. */
import { LruMap } from '../ground/lru-map.ts'
import type { CacheEntry, CacheStore } from './store.ts'

export interface MemoryStoreOptions {
  /** Most bytes of heap all entries may take together, each one's bookkeeping included. Default 50 MiB. */
  readonly maxSize?: number | undefined
  /** Most bytes one entry may take; a larger one is not stored. Default 5 MiB. */
  readonly maxEntrySize?: number | undefined
}

export class MemoryStore implements CacheStore {
  readonly maxSize: number
  readonly maxEntrySize: number
  readonly #entries: LruMap<string, { readonly entry: CacheEntry; readonly cost: number }>

  constructor({ maxSize = 50 * 1024 * 1024, maxEntrySize = 5 * 1024 * 1024 }: MemoryStoreOptions = {}) {
    for (const [name, value] of Object.entries({ maxSize, maxEntrySize })) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new TypeError(
          `fetchkind: MemoryStore option "${name}" must be a whole number of bytes, got ${value}`,
        )
      }
    }
    this.maxSize = maxSize
    this.maxEntrySize = Math.min(maxEntrySize, maxSize)
    this.#entries = new LruMap(maxSize, (stored) => stored.cost)
  }

  /** Bytes the stored entries take now, as `costOf` counts them; never more than `maxSize`. */
  get size(): number {
    return this.#entries.weight
  }

  get count(): number {
    return this.#entries.size
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.#entries.get(key)?.entry
  }

  /** `get`, answered at once: the cache stage's lookups in this store need no promise. */
  getNow(key: string): CacheEntry | undefined {
    return this.#entries.get(key)?.entry
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    if (entry.size > this.maxEntrySize) return this.#entries.delete(key)
    this.#entries.set(key, { entry, cost: costOf(key, entry) })
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key)
  }
}

/**
 * What an entry takes of the heap, not just what it holds: its body and heads (`entry.size`), its
 * key, and the objects around them — the Map's slot, the entry and its parsed head (which shares
 * the head's strings), the body's view and buffer — measured at some 600–730 bytes an entry on
 * Node 24 (8,000 entries of a 12-byte body and four fields, each 800 bytes of heap where
 * `entry.size` said 193). Counted so, `maxSize` bounds the heap the entries take: a store of tiny
 * entries held four times its size before (test/cache/memory-store.test.ts).
 */
export function costOf(key: string, entry: CacheEntry): number {
  return entry.size + key.length + ENTRY_OVERHEAD
}

const ENTRY_OVERHEAD = 768
