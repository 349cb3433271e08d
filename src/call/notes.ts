/**
 * What the stages of one call note as they go, for `meta`: the shared stores that failed (the call
 * went on without them) and the cooldown another client's answer imposed. Stages only add to it;
 * the call reads it once, when it builds `meta`.
 */

import { thrownText } from '../result/thrown.ts'
import type { CooldownNote, StoreFallback } from '../result/types.ts'

export class CallNotes {
  readonly #storeFallbacks: StoreFallback[] = []
  #cooldown: CooldownNote | null = null
  #attemptsSent = 0

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

  get storeFallbacks(): readonly StoreFallback[] {
    return [...this.#storeFallbacks]
  }

  get cooldown(): CooldownNote | null {
    return this.#cooldown
  }
}
