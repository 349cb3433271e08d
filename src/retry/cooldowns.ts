/**
 * Cooldowns kept in this process's memory, by key: each the status that asked for it and when it
 * ends; a longer one is never shortened. The in-memory retry store keeps its own in one, and
 * the Redis store's mirror keeps what Redis pushed.
 */
import { LruMap } from '../ground/lru-map.ts'
import type { Cooldown } from './store.ts'

export class CooldownTable {
  readonly #cooldowns: LruMap<string, { readonly status: Cooldown['status']; readonly until: number }>

  /** Keeps at most `limit` keys, the least recently set forgotten first (they expire anyway). */
  constructor(limit: number) {
    this.#cooldowns = new LruMap(limit)
  }

  /** The cooldown running for `key` at `now`, with the milliseconds left; one that ended is forgotten. */
  running(key: string, now: number): Cooldown | null {
    const cooldown = this.#cooldowns.peek(key)
    if (!cooldown) return null
    if (cooldown.until <= now) {
      this.#cooldowns.delete(key)
      return null
    }
    return { status: cooldown.status, ms: cooldown.until - now }
  }

  /** Forgets the cooldown of `key`: the store that pushed it holds none. */
  forget(key: string): void {
    this.#cooldowns.delete(key)
  }

  /** Holds `key` back for `cooldown.ms` from `now`, unless a longer cooldown is running. */
  set(key: string, cooldown: Cooldown, now: number): void {
    const until = now + cooldown.ms
    const running = this.#cooldowns.peek(key)
    if (running && running.until >= until) return
    this.#cooldowns.set(key, { status: cooldown.status, until })
  }
}
