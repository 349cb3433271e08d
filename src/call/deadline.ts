/**
 * The signals that bound a call: the caller's AbortSignal, the call's total deadline, and each
 * attempt's deadline. Each remembers whether it fired, so a failure can be told apart afterwards:
 * the caller's abort, then the total deadline, then the attempt's, and only then the network.
 */
import { describeNetworkError } from '../transport/network-error.ts'

/** What ended an attempt that got no response, or cut a body short. */
export type NoResponse =
  | {
      readonly kind: 'network-error'
      readonly code: string
      readonly message: string
      readonly error: unknown
    }
  | { readonly kind: 'timeout'; readonly phase: 'attempt' | 'total'; readonly limit: number }
  | { readonly kind: 'aborted'; readonly reason: unknown }

export class CallDeadline {
  readonly #controller = new AbortController()
  readonly #caller: AbortSignal | undefined
  readonly #total: number | false
  /** Date.now() when the total deadline passes: the wall clock that fake timers also move. */
  readonly #endsAt: number
  #timer: ReturnType<typeof setTimeout> | undefined
  #ended: NoResponse | null = null

  constructor(caller: AbortSignal | undefined, total: number | false) {
    this.#caller = caller
    this.#total = total
    this.#endsAt = total === false ? Number.POSITIVE_INFINITY : Date.now() + total
    if (caller?.aborted) {
      this.#end({ kind: 'aborted', reason: caller.reason })
      return
    }
    caller?.addEventListener('abort', this.#onCallerAbort, { once: true })
    if (total !== false) this.#timer = setTimeout(this.#onTotalTimeout, total)
  }

  /** Fires when the caller aborts or the total deadline passes. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** Why the call was ended by its own signals, or `null` while it runs. */
  get ended(): NoResponse | null {
    return this.#ended
  }

  /** Milliseconds left before the total deadline; `null` when there is none. */
  get timeLeft(): number | null {
    return this.#total === false ? null : Math.max(0, this.#endsAt - Date.now())
  }

  startAttempt(limit: number | false): AttemptDeadline {
    return new AttemptDeadline(this.#controller.signal, limit)
  }

  /** Names what stopped an attempt or a body read that failed with `error`. */
  explain(error: unknown, attempt: AttemptDeadline | null): NoResponse {
    if (this.#ended) return this.#ended
    if (attempt?.timedOut && attempt.limit !== false) {
      return { kind: 'timeout', phase: 'attempt', limit: attempt.limit }
    }
    return { kind: 'network-error', ...describeNetworkError(error), error }
  }

  /** Stops the total deadline but keeps the caller's signal linked, for a body streamed to the caller. */
  stopClock(): void {
    clearTimeout(this.#timer)
  }

  /** Stops the total deadline and unlinks the caller's signal: the call is over. */
  release(): void {
    this.stopClock()
    this.#caller?.removeEventListener('abort', this.#onCallerAbort)
  }

  readonly #onCallerAbort = (): void => {
    this.#end({ kind: 'aborted', reason: this.#caller?.reason })
  }

  readonly #onTotalTimeout = (): void => {
    if (this.#total !== false) this.#end({ kind: 'timeout', phase: 'total', limit: this.#total })
  }

  #end(reason: NoResponse): void {
    if (this.#ended) return
    this.#ended = reason
    clearTimeout(this.#timer)
    this.#controller.abort(
      reason.kind === 'aborted' ? reason.reason : new DOMException('Timeout', 'TimeoutError'),
    )
  }
}

/** One attempt's deadline, linked to the call's signal. */
export class AttemptDeadline {
  readonly #controller = new AbortController()
  readonly #parent: AbortSignal
  readonly limit: number | false
  #timer: ReturnType<typeof setTimeout> | undefined
  #timedOut = false

  constructor(parent: AbortSignal, limit: number | false) {
    this.#parent = parent
    this.limit = limit
    if (parent.aborted) {
      this.#controller.abort(parent.reason)
      return
    }
    parent.addEventListener('abort', this.#onParentAbort, { once: true })
    if (limit !== false) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true
        this.#controller.abort(new DOMException('Attempt timeout', 'TimeoutError'))
      }, limit)
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  get timedOut(): boolean {
    return this.#timedOut
  }

  /** Stops the attempt's clock but keeps the call's signal linked, for a body streamed to the caller. */
  stopClock(): void {
    clearTimeout(this.#timer)
  }

  /** Stops the clock and unlinks the call's signal: the attempt is over. */
  release(): void {
    this.stopClock()
    this.#parent.removeEventListener('abort', this.#onParentAbort)
  }

  readonly #onParentAbort = (): void => {
    clearTimeout(this.#timer)
    this.#controller.abort(this.#parent.reason)
  }
}
