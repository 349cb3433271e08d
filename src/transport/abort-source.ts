/**
 * What aborts an exchange, as fetchkind's own transport listens to it. A transport request carries
 * an AbortSignal, and a transport of anyone's may read it; the undici transport instead listens to
 * the attempt's deadline directly (under `ABORT_SOURCE`), so that a call whose signal nobody reads
 * makes no AbortController, no AbortSignal and no event listener — a twentieth of what a small
 * call allocated.
 */

/** The key a transport request carries its attempt's deadline under, for fetchkind's own transports. */
export const ABORT_SOURCE = Symbol('fetchkind.abortSource')

/** Told once, when the source aborts. */
export interface AbortListener {
  aborted(reason: unknown): void
}

export interface AbortSource {
  /** Why it aborted, once it has; `undefined` until then. */
  readonly abortedWith: { readonly why: unknown } | undefined
  /** Has `listener` told when it aborts (one listener at a time). */
  listen(listener: AbortListener): void
  unlisten(listener: AbortListener): void
}

/** An AbortSignal as an abort source: for a request that carries a signal only. */
export function signalSource(signal: AbortSignal): AbortSource {
  return new SignalSource(signal)
}

class SignalSource implements AbortSource {
  readonly #signal: AbortSignal
  #listener: AbortListener | null = null

  constructor(signal: AbortSignal) {
    this.#signal = signal
  }

  get abortedWith(): { readonly why: unknown } | undefined {
    return this.#signal.aborted ? { why: this.#signal.reason } : undefined
  }

  listen(listener: AbortListener): void {
    this.#listener = listener
    this.#signal.addEventListener('abort', this.#onAbort)
  }

  unlisten(listener: AbortListener): void {
    if (this.#listener !== listener) return
    this.#listener = null
    this.#signal.removeEventListener('abort', this.#onAbort)
  }

  readonly #onAbort = (): void => {
    this.#listener?.aborted(this.#signal.reason)
  }
}
