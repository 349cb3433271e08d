/**
 * What aborts an exchange, as fetchkind's own transport listens to it. A transport request carries
 * an AbortSignal, and a transport of anyone's may read it; the undici transport instead listens to
 * the attempt's deadline directly (under `ABORT_SOURCE`), so that a call whose signal nobody reads
 * makes no AbortController, no AbortSignal and no event listener — a twentieth of what a small
 * call allocated.
 */

import type { ResolvedAddressCheck, TransportRequest } from './types.ts'

/** The key a transport request carries its attempt's deadline under, for fetchkind's own transports. */
export const ABORT_SOURCE = Symbol('fetchkind.abortSource')

/** What the attempt's deadline is to a transport request: a source to listen to, and the signal, on demand. */
export interface AttemptSource extends AbortSource {
  readonly signal: AbortSignal
}

/** Marks a transport of fetchkind's own that listens to `ABORT_SOURCE`, never reading `signal` unless it hands the request on. */
export function listeningToAttempts<T extends object>(transport: T): T {
  ;(transport as { [ABORT_SOURCE]?: true })[ABORT_SOURCE] = true
  return transport
}

export function listensToAttempts(transport: object): boolean {
  return (transport as { [ABORT_SOURCE]?: true })[ABORT_SOURCE] === true
}

/**
 * A transport request for fetchkind's own transports: its signal is made only when read. A class,
 * so that every attempt's has one shape (an object literal with a getter is built slowly, and
 * allocated more than the signal it saves). Spread, it loses `signal`: the transports that get
 * one read it, or the source, and hand on a request with it in place (`withSignal`).
 */
export class AttemptRequest implements TransportRequest {
  readonly url: TransportRequest['url']
  readonly method: TransportRequest['method']
  readonly headers: TransportRequest['headers']
  readonly body: TransportRequest['body']
  readonly addressGuard: ResolvedAddressCheck | null
  readonly dispatcher: TransportRequest['dispatcher']
  readonly resourceTiming: boolean
  readonly onInterim: TransportRequest['onInterim']
  readonly [ABORT_SOURCE]: AttemptSource

  constructor(
    url: URL,
    method: string,
    headers: Headers,
    body: TransportRequest['body'],
    options: {
      readonly addressGuard: ResolvedAddressCheck | null
      readonly dispatcher: TransportRequest['dispatcher']
      readonly resourceTiming: boolean
    },
    onInterim: TransportRequest['onInterim'],
    source: AttemptSource,
  ) {
    this.url = url
    this.method = method
    this.headers = headers
    this.body = body
    this.addressGuard = options.addressGuard
    this.dispatcher = options.dispatcher
    this.resourceTiming = options.resourceTiming
    this.onInterim = onInterim
    this[ABORT_SOURCE] = source
  }

  get signal(): AbortSignal {
    return this[ABORT_SOURCE].signal
  }
}

/** The request as any transport takes it: with its signal as a property of its own. */
export function withSignal(request: TransportRequest): TransportRequest {
  return request instanceof AttemptRequest ? { ...request, signal: request.signal } : request
}

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
