/**
 * Single flight: identical concurrent GETs (same URL and credentials) share one exchange, and a
 * stale-while-revalidate refresh runs once however many callers are served the stale entry.
 */
import { untilSettledOrAborted } from '../call/wait.ts'

export class SingleFlight {
  readonly #inflight = new Map<string, Promise<unknown>>()

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
