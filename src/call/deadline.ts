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
  /** Made when something first asks for `signal`: most calls never do. */
  #controller: AbortController | undefined
  readonly #caller: AbortSignal | undefined
  readonly #total: number | false
  /** Date.now() when the total deadline passes: the wall clock that fake timers also move. */
  readonly #endsAt: number
  #timer: ReturnType<typeof setTimeout> | undefined
  #ended: NoResponse | null = null
  /** The attempts under way, told directly when the call ends: no listener of theirs on a signal. */
  readonly #attempts = new Set<AttemptDeadline>()

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
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#ended) this.#controller.abort(abortReason(this.#ended))
    }
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
    const attempt = new AttemptDeadline(limit, () => this.#attempts.delete(attempt))
    if (this.#ended) attempt.abort(abortReason(this.#ended))
    else this.#attempts.add(attempt)
    return attempt
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
    const why = abortReason(reason)
    this.#controller?.abort(why)
    for (const attempt of this.#attempts) attempt.abort(why)
  }
}

/** What the signals abort with: the caller's own reason, or a TimeoutError. */
function abortReason(ended: NoResponse): unknown {
  return ended.kind === 'aborted' ? ended.reason : new DOMException('Timeout', 'TimeoutError')
}

/**
 * One attempt's deadline. The call ends it directly when the call ends (CallDeadline keeps the
 * live ones); its signal is made only for a transport that asks (a cache hit never does).
 */
export class AttemptDeadline {
  #controller: AbortController | undefined
  #reason: { readonly why: unknown } | undefined
  readonly #done: () => void
  readonly limit: number | false
  #timer: ReturnType<typeof setTimeout> | undefined
  #timedOut = false

  constructor(limit: number | false, done: () => void) {
    this.limit = limit
    this.#done = done
    if (limit !== false) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true
        this.abort(new DOMException('Attempt timeout', 'TimeoutError'))
      }, limit)
    }
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#reason) this.#controller.abort(this.#reason.why)
    }
    return this.#controller.signal
  }

  get timedOut(): boolean {
    return this.#timedOut
  }

  /** Ends the attempt: the first reason given is the one its signal carries. */
  abort(why: unknown): void {
    if (this.#reason) return
    this.#reason = { why }
    clearTimeout(this.#timer)
    this.#controller?.abort(why)
  }

  /** Stops the attempt's clock but keeps it linked to the call, for a body streamed to the caller. */
  stopClock(): void {
    clearTimeout(this.#timer)
  }

  /** Stops the clock and unlinks it from the call: the attempt is over. */
  release(): void {
    this.stopClock()
    this.#done()
  }
}
