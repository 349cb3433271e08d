/**
 * What the stages of one call note as they go, for `meta`: the shared stores that failed (the call
 * went on without them) and the cooldown another client's answer imposed. Stages only add to it;
 * the call reads it once, when it builds `meta`.
 */

import { thrownText } from '../result/thrown.ts'
import type { BreakerNote, BreakerState, CooldownNote, StoreFallback } from '../result/types.ts'

export class CallNotes {
  readonly #storeFallbacks: StoreFallback[] = []
  #cooldown: CooldownNote | null = null
  #attemptsSent = 0
  #breaker: BreakerNote | null = null

  /** Counts an attempt sent; returns how many were sent before it (OpenTelemetry's `http.request.resend_count`). */
  attemptSent(): number {
    return this.#attemptsSent++
  }

  storeFailed(store: StoreFallback['store'], operation: StoreFallback['operation'], error: unknown): void {
    this.#storeFallbacks.push({ store, operation, error: thrownText(error) })
  }

  /** A call across redirects can meet a cooldown on each origin: the waits add up. */
  cooledDown(ms: number, sent: boolean): void {
    this.#cooldown = { ms: (this.#cooldown?.ms ?? 0) + ms, sent }
  }

  /** The breaker an attempt passed (the last one's wins), with the transitions the call's attempts caused. */
  passedBreaker(key: string, state: BreakerState, transitions: BreakerNote['transitions']): void {
    this.#breaker = { key, state, transitions: [...(this.#breaker?.transitions ?? []), ...transitions] }
  }

  get breaker(): BreakerNote | null {
    return this.#breaker
  }

  get storeFallbacks(): readonly StoreFallback[] {
    return [...this.#storeFallbacks]
  }

  get cooldown(): CooldownNote | null {
    return this.#cooldown
  }
}
