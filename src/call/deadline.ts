/**
 * The signals that bound a call: the caller's AbortSignal, the call's total deadline, and each
 * attempt's deadline. Each remembers whether it fired, so a failure can be told apart afterwards:
 * the caller's abort, then the total deadline, then the attempt's, and only then the network.
 */

import type { RetryAfter } from '../http/retry-after.ts'
import type { RefusalReason } from '../result/types.ts'
import type { AbortListener, AbortSource } from '../transport/abort-source.ts'
import { describeNetworkError } from '../transport/network-error.ts'

/** What ended an attempt that got no response, or cut a body short. */
export type NoResponse =
  | {
      readonly kind: 'network-error'
      readonly code: string
      readonly message: string
      readonly error: unknown
    }
  | {
      readonly kind: 'timeout'
      readonly phase: 'attempt' | 'total'
      readonly limit: number
      /** The total deadline was one the call inherited (a deadline scope's), not its own. */
      readonly inherited: boolean
    }
  | {
      readonly kind: 'timeout'
      readonly phase: 'signal'
      readonly limit: null
      readonly reason: unknown
      readonly inherited: false
    }
  | { readonly kind: 'aborted'; readonly reason: unknown }
  | { readonly kind: 'refused'; readonly reason: RefusalReason; readonly retryAfter: RetryAfter | null }

export class CallDeadline implements AttemptOwner {
  /** Made when something first asks for `signal`: most calls never do. */
  #controller: AbortController | undefined
  readonly #caller: AbortSignal | undefined
  #total: number | false
  /** Date.now() when the total deadline passes: the wall clock that fake timers also move. */
  #endsAt: number
  /** The total deadline is an inherited one (`inherit`): a scope's, nearer than the call's own. */
  #inherited = false
  /** The request header each attempt sends its time left in (`propagateAs`), if any. */
  #propagatedAs: string | null = null
  /**
   * One timer for the call and all its attempts, set for the nearest deadline: a timer per
   * deadline costs a call twice what one does. Set only once a signal it would abort exists (a
   * wait's, a transport's): a call answered from the cache sets none, and a deadline that passed
   * unwatched is noticed when `ended` is next read.
   */
  #timer: ReturnType<typeof setTimeout> | undefined
  /** When the timer fires; infinite while none is set. */
  #timerAt = Number.POSITIVE_INFINITY
  /** The clock was stopped: no timer is set again, whatever asks for a signal later. */
  #stopped = false
  #ended: NoResponse | null = null
  /** The attempts under way, told directly when the call ends: no listener of theirs on a signal. */
  readonly #attempts: AttemptDeadline[] = []
  /** The branches made for copies of the request sent alongside (hedges), ended with this one. */
  #branches: CallDeadline[] | null = null

  constructor(caller: AbortSignal | undefined, total: number | false) {
    this.#caller = caller
    this.#total = total
    this.#endsAt = total === false ? Number.POSITIVE_INFINITY : Date.now() + total
    if (caller?.aborted) {
      this.#end(callerEnded(caller.reason))
      return
    }
    caller?.addEventListener('abort', this.#onCallerAbort, { once: true })
  }

  /** Fires when the caller aborts or the total deadline passes. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      const ended = this.ended
      if (ended) this.#controller.abort(abortReason(ended))
      else this.#watch(this.#endsAt)
    }
    return this.#controller.signal
  }

  /** Why the call was ended by its own signals, or `null` while it runs. */
  get ended(): NoResponse | null {
    // The total deadline passed with no timer set (nothing was listening): it ends the call now.
    if (this.#ended === null && Date.now() >= this.#endsAt) this.#endTotal()
    return this.#ended
  }

  /** Milliseconds left before the total deadline; `null` when there is none. */
  get timeLeft(): number | null {
    return this.#total === false ? null : Math.max(0, this.#endsAt - Date.now())
  }

  /**
   * Bounds the call by a deadline it inherits (the deadline scope it runs in), when that one is
   * nearer than its own: the call then ends by it, as a `total` timeout marked `inherited`, whose
   * limit is the time the call had left when it inherited it.
   */
  inherit(endsAt: number): void {
    if (endsAt >= this.#endsAt || this.#ended) return
    this.#endsAt = endsAt
    this.#total = Math.max(0, Math.round(endsAt - Date.now()))
    this.#inherited = true
    // A timer already set (a signal was asked for) must fire by the nearer deadline.
    if (this.#timer !== undefined) this.#watch(endsAt)
  }

  /**
   * A deadline for one copy of the request sent alongside others (a hedge): the same deadlines,
   * ended with this one (the caller's abort, the total deadline), stopped and released with it,
   * and ended alone by `cancel` once another copy has answered.
   */
  branch(): CallDeadline {
    const branch = new CallDeadline(undefined, false)
    branch.#endsAt = this.#endsAt
    branch.#total = this.#total
    branch.#inherited = this.#inherited
    branch.#propagatedAs = this.#propagatedAs
    const ended = this.#ended
    if (ended) {
      branch.#end(ended)
      return branch
    }
    this.#branches ??= []
    this.#branches.push(branch)
    return branch
  }

  /** Ends this deadline (a branch no longer needed) and its attempts, as `reason`. */
  cancel(reason: NoResponse): void {
    this.#end(reason)
  }

  /** Has every attempt send the time it has left, in milliseconds, in the request header `name`. */
  propagateAs(name: string): void {
    this.#propagatedAs = name
  }

  /** The header the attempts send their time left in (`propagateAs`), if any. */
  get propagatedAs(): string | null {
    return this.#propagatedAs
  }

  /** Milliseconds `attempt` has left: the nearer of its own deadline and the call's; `null` for none. */
  timeLeftFor(attempt: AttemptDeadline): number | null {
    const endsAt = Math.min(attempt.endsAt, this.#endsAt)
    return endsAt === Number.POSITIVE_INFINITY ? null : Math.max(0, endsAt - Date.now())
  }

  startAttempt(limit: number | false): AttemptDeadline {
    const endsAt = limit === false ? Number.POSITIVE_INFINITY : Date.now() + limit
    const attempt = new AttemptDeadline(limit, endsAt, this)
    const ended = this.ended
    if (ended) {
      attempt.abort(abortReason(ended))
      return attempt
    }
    this.#attempts.push(attempt)
    return attempt
  }

  /** Names what stopped an attempt or a body read that failed with `error`. */
  explain(error: unknown, attempt: AttemptDeadline | null): NoResponse {
    const ended = this.ended
    if (ended) return ended
    if (attempt?.timedOut && attempt.limit !== false) {
      return { kind: 'timeout', phase: 'attempt', limit: attempt.limit, inherited: false }
    }
    return { kind: 'network-error', ...describeNetworkError(error), error }
  }

  /** Stops the total deadline but keeps the caller's signal linked, for a body streamed to the caller. */
  stopClock(): void {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
    if (this.#branches) for (const branch of this.#branches) branch.stopClock()
  }

  /** Stops the total deadline and unlinks the caller's signal: the call is over. */
  release(): void {
    this.stopClock()
    this.#caller?.removeEventListener('abort', this.#onCallerAbort)
    if (this.#branches) for (const branch of this.#branches) branch.release()
  }

  /** An attempt's signal is watched: the timer fires by its deadline, or the call's if nearer. */
  watched(attempt: AttemptDeadline): void {
    this.#watch(Math.min(attempt.endsAt, this.#endsAt))
  }

  /** An attempt is over: the call's timer no longer looks after it. */
  forget(attempt: AttemptDeadline): void {
    const at = this.#attempts.indexOf(attempt)
    if (at !== -1) this.#attempts.splice(at, 1)
  }

  /**
   * Has the timer fire by `at`. It is moved only for a deadline nearer than the one it is set
   * for; a later one is looked at when the timer fires.
   */
  #watch(at: number): void {
    if (at < this.#timerAt && !this.#stopped) this.#schedule(at)
  }

  #schedule(at: number): void {
    clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = at === Number.POSITIVE_INFINITY ? undefined : setTimeout(this.#onTimer, at - Date.now())
  }

  /** Ends the call, or times out the attempts, whose deadline has passed; waits for the next one. */
  readonly #onTimer = (): void => {
    const now = Date.now()
    if (now >= this.#endsAt) {
      this.#endTotal()
      return
    }
    let next = this.#endsAt
    for (const attempt of this.#attempts) {
      if (attempt.endsAt <= now) attempt.timeOut()
      else next = Math.min(next, attempt.endsAt)
    }
    this.#schedule(next)
  }

  #endTotal(): void {
    this.#end({ kind: 'timeout', phase: 'total', limit: this.#total as number, inherited: this.#inherited })
  }

  readonly #onCallerAbort = (): void => {
    this.#end(callerEnded(this.#caller?.reason))
  }

  #end(reason: NoResponse): void {
    if (this.#ended) return
    this.#ended = reason
    this.stopClock()
    const why = abortReason(reason)
    this.#controller?.abort(why)
    for (const attempt of this.#attempts) attempt.abort(why)
    if (this.#branches) for (const branch of this.#branches) branch.#end(reason)
  }
}

/**
 * What the caller's signal ended the call as: a timeout when it fired for one (`AbortSignal.timeout()`,
 * fetch's idiom for a deadline, aborts with a TimeoutError), else an abort.
 */
function callerEnded(reason: unknown): NoResponse {
  const timedOut = typeof reason === 'object' && reason !== null && (reason as Error).name === 'TimeoutError'
  return timedOut
    ? { kind: 'timeout', phase: 'signal', limit: null, reason, inherited: false }
    : { kind: 'aborted', reason }
}

/** What the signals abort with: the caller's own reason, or a TimeoutError. */
export function abortReason(ended: NoResponse): unknown {
  return 'reason' in ended ? ended.reason : new DOMException('Timeout', 'TimeoutError')
}

/**
 * One attempt's deadline, kept by its call's one timer (CallDeadline), which also ends it when
 * the call ends; its signal is made only for a transport that asks (a cache hit never does).
 */
export class AttemptDeadline implements AbortSource {
  #controller: AbortController | undefined
  /** The exchange listening directly (fetchkind's own transport), in place of a signal. */
  #listener: AbortListener | null = null
  #reason: { readonly why: unknown } | undefined
  readonly #call: AttemptOwner
  readonly limit: number | false
  #endsAt: number
  #timedOut = false

  constructor(limit: number | false, endsAt: number, call: AttemptOwner) {
    this.limit = limit
    this.#endsAt = endsAt
    this.#call = call
  }

  /** Aborts when the attempt times out or the call ends; asking for it has the call's timer watch both. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#reason) this.#controller.abort(this.#reason.why)
      else this.#call.watched(this)
    }
    return this.#controller.signal
  }

  /** Why the attempt ended, once it has. */
  get abortedWith(): { readonly why: unknown } | undefined {
    return this.#reason
  }

  /** Has `listener` told when the attempt ends, as its signal would; listening has the call's timer watch it. */
  listen(listener: AbortListener): void {
    this.#listener = listener
    if (!this.#reason) this.#call.watched(this)
  }

  unlisten(listener: AbortListener): void {
    if (this.#listener === listener) this.#listener = null
  }

  /** Date.now() when the attempt times out; infinite once its clock is stopped or it has ended. */
  get endsAt(): number {
    return this.#endsAt
  }

  get timedOut(): boolean {
    return this.#timedOut
  }

  /** Its deadline has passed (told by the call's timer). */
  timeOut(): void {
    if (this.#reason) return
    this.#timedOut = true
    this.abort(new DOMException('Attempt timeout', 'TimeoutError'))
  }

  /** Ends the attempt: the first reason given is the one its signal carries. */
  abort(why: unknown): void {
    if (this.#reason) return
    this.#reason = { why }
    this.#endsAt = Number.POSITIVE_INFINITY
    this.#controller?.abort(why)
    const listener = this.#listener
    this.#listener = null
    listener?.aborted(why)
  }

  /** Stops the attempt's clock but keeps it linked to the call, for a body streamed to the caller. */
  stopClock(): void {
    this.#endsAt = Number.POSITIVE_INFINITY
  }

  /** Stops the clock and unlinks it from the call: the attempt is over. */
  release(): void {
    this.stopClock()
    this.#call.forget(this)
  }
}

/** What an attempt tells its call: that its signal is being watched, and that it is over. */
interface AttemptOwner {
  watched(attempt: AttemptDeadline): void
  forget(attempt: AttemptDeadline): void
}
