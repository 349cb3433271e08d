/**
 * Single flight: identical concurrent GETs (same URL and credentials) share one exchange, and a
 * stale-while-revalidate refresh runs once however many callers are served the stale entry.
 *
 * A key whose last answer could not be stored is passed through for a while (Varnish's
 * hit-for-miss): its concurrent GETs would only queue one behind the other, each then going to
 * the network anyway, so that every caller of an API that never caches waited for another's
 * request. The first answer that is stored ends the pass.
 */

import { LruMap } from '../ground/lru-map.ts'
import { untilSettledOrAborted } from '../ground/wait.ts'

/** How long a key is passed through after an answer that could not be stored: Varnish's default. */
const PASS_MS = 120_000
/** Keys passed through at once, at most; the least recently marked are forgotten first. */
const MAX_PASSED = 1000

export class SingleFlight {
  readonly #inflight = new Map<string, Promise<unknown>>()
  /** Key → when its pass ends (Date.now()). */
  readonly #passed = new LruMap<string, number>(MAX_PASSED)

  /** Whether GETs of `key` go on alone, neither waiting for nor leading the others. */
  passes(key: string, now: number): boolean {
    const until = this.#passed.peek(key)
    if (until === undefined) return false
    if (until > now) return true
    this.#passed.delete(key)
    return false
  }

  /** Notes how a response for `key` ended: stored (the pass ends), or not (it begins). */
  answered(key: string, stored: boolean, now: number): void {
    if (stored) {
      this.#passed.delete(key)
      return
    }
    // Renewed once half spent, not on every answer: a Map re-set for a hot key on every call
    // fills with holes it must rehash away (a tenth of a call's CPU at 64 at once).
    const until = this.#passed.peek(key)
    if (until === undefined || until - now < PASS_MS / 2) this.#passed.set(key, now + PASS_MS)
  }

  has(key: string): boolean {
    return this.#inflight.has(key)
  }

  /**
   * The exchange under way for `key`, to wait for until it settles or the signal aborts; `null`,
   * at once, when there is none, so that the caller can lead one before anyone else looks. The
   * signal is asked for only when there is a leader: a call's is made on demand.
   */
  follow(key: string, signal: () => AbortSignal): Promise<void> | null {
    const leader = this.#inflight.get(key)
    return leader ? untilSettledOrAborted(leader, signal()) : null
  }

  /** Runs `work` as the exchange for `key` until it settles. */
  lead<T>(key: string, work: Promise<T>): Promise<T> {
    this.#inflight.set(key, work)
    const forget = () => {
      if (this.#inflight.get(key) === work) this.#inflight.delete(key)
    }
    work.then(forget, forget)
    return work
  }
}
