/** The default store: in memory, least recently used first out, bounded in bytes. */
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
  /** In order of last use: the first key is the one to evict. */
  readonly #entries = new Map<string, CacheEntry>()
  #size = 0

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
  }

  /** Bytes the stored entries take now; never more than `maxSize`. */
  get size(): number {
    return this.#size
  }

  get count(): number {
    return this.#entries.size
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const entry = this.#entries.get(key)
    if (entry) {
      this.#entries.delete(key)
      this.#entries.set(key, entry)
    }
    return entry
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    await this.delete(key)
    if (entry.size > this.maxEntrySize) return
    for (const [oldest, stored] of this.#entries) {
      if (this.#size + entry.size <= this.maxSize) break
      this.#entries.delete(oldest)
      this.#size -= stored.size
    }
    this.#entries.set(key, entry)
    this.#size += entry.size
  }

  async delete(key: string): Promise<void> {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#size -= entry.size
  }
}
