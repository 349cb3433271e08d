/**
 * A Map bounded by a limit — on how many values it holds, or on a weight each value has (bytes) —
 * that forgets the least recently used first. The in-memory stores and the budgets keep their
 * state in one, so that a client talking to endless origins, or caching endless URLs, stays bounded.
 */
export class LruMap<K, V> {
  /** In order of last use: the first key is the one to forget. */
  readonly #values = new Map<K, V>()
  readonly #limit: number
  readonly #weigh: (value: V) => number
  #weight = 0
  /**
   * The key used last, whose place needs no moving: a Map moves a key only by a delete and a
   * set, and a hot key moved on every read fills the table with holes it must rehash away.
   */
  #newest: K | undefined

  /** `weigh` gives each value's share of `limit`; by default each value counts 1. */
  constructor(limit: number, weigh: (value: V) => number = () => 1) {
    this.#limit = limit
    this.#weigh = weigh
  }

  get size(): number {
    return this.#values.size
  }

  /** The values' weights added up; never more than the limit. */
  get weight(): number {
    return this.#weight
  }

  /** The value, which now counts as the most recently used. */
  get(key: K): V | undefined {
    const value = this.#values.get(key)
    if (value !== undefined && key !== this.#newest) {
      this.#values.delete(key)
      this.#values.set(key, value)
      this.#newest = key
    }
    return value
  }

  /** The value of `key` as `get` gives it, or, when there is none, the one `make` makes, set. */
  getOrMake(key: K, make: () => V): V {
    let value = this.get(key)
    if (value === undefined) {
      value = make()
      this.set(key, value)
    }
    return value
  }

  /** The value, leaving the order of use as it is. */
  peek(key: K): V | undefined {
    return this.#values.get(key)
  }

  /** Sets `key` as the most recently used, then forgets the least recently used past the limit. */
  set(key: K, value: V): void {
    this.delete(key)
    this.#values.set(key, value)
    this.#newest = key
    this.#weight += this.#weigh(value)
    for (const [oldest, stored] of this.#values) {
      if (this.#weight <= this.#limit) break
      this.#values.delete(oldest)
      this.#weight -= this.#weigh(stored)
    }
  }

  delete(key: K): void {
    const value = this.#values.get(key)
    if (value === undefined) return
    this.#values.delete(key)
    this.#weight -= this.#weigh(value)
  }
}
