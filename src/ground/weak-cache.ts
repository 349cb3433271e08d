/**
 * What is derived from an object and worth keeping while it lives — but only for an object read
 * more than once. A WeakMap keyed by objects that die young is costly in V8: until a minor
 * collection finds a key dead, the value it maps to counts as alive, so every value set since the
 * last collection is copied by it, and survivors enough grow the young generation into full
 * collections. A value set for each call's own object (its request headers, a 304's freshened
 * entry) took revalidated 64 KiB calls from 1 full collection per 16,000 to 25–74, at 1.4–1.7×
 * the CPU (docs/performance.md). So a key's first value is not kept, only noted in a WeakSet
 * (whose entries hold no value); a second is.
 */
export class WeakCache<K extends WeakKey, V> {
  readonly #values = new WeakMap<K, V>()
  readonly #seen = new WeakSet<K>()

  get(key: K): V | undefined {
    return this.#values.get(key)
  }

  /** Keeps `value` for `key` if a value was set for it before; only notes the key if not. */
  set(key: K, value: V): void {
    if (this.#seen.has(key)) this.#values.set(key, value)
    else this.#seen.add(key)
  }
}
