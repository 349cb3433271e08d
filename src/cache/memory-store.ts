/** The default store: in memory, least recently used first out, bounded in bytes. */
import { LruMap } from '../pipeline/lru-map.ts'
import type { CacheEntry, CacheStore } from './store.ts'

export interface MemoryStoreOptions {
  /** Most bytes all entries may take together. Default 50 MiB. */
  readonly maxSize?: number
  /** Most bytes one entry may take; a larger one is not stored. Default 5 MiB. */
  readonly maxEntrySize?: number
}

export class MemoryStore implements CacheStore {
  readonly maxSize: number
  readonly maxEntrySize: number
  readonly #entries: LruMap<string, CacheEntry>

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
    this.#entries = new LruMap(maxSize, (entry) => entry.size)
  }

  /** Bytes the stored entries take now; never more than `maxSize`. */
  get size(): number {
    return this.#entries.weight
  }

  get count(): number {
    return this.#entries.size
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.#entries.get(key)
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    if (entry.size > this.maxEntrySize) return this.#entries.delete(key)
    this.#entries.set(key, entry)
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key)
  }
}
