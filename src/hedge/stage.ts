/**
 * The hedging stage, beneath the retry policy: a request that has had no answer after the delay
 * is sent again, up to `max` more copies, each within the key's budget; the first usable answer
 * wins and the other copies are cancelled (their connections released, each still in
 * `meta.attempts`, as `aborted`). A copy that fails, or answers as the retry policy would retry
 * (408, 429, 5xx), does not win: the next copy goes at once, and when none is left the first such
 * answer is the outcome, for the retry policy to decide on.
 */

import { cancelResponse } from '../call/body.ts'
import { RetryBudget } from '../call/budget.ts'
import type { NoResponse } from '../call/deadline.ts'
import { channels, type HedgeEvent, publish } from '../call/diagnostics.ts'
import { keyOf } from '../call/policy-key.ts'
import type { HopRequest, Next, Outcome, Stage } from '../call/stage.ts'
import { LruMap } from '../ground/lru-map.ts'
import { IDEMPOTENT_METHODS } from '../http/methods.ts'
import { Latencies } from './latencies.ts'
import type { HedgePolicy } from './options.ts'

/** What a cancelled copy ends as: another answered first. */
const LOST: NoResponse = {
  kind: 'aborted',
  reason: new DOMException('another copy of the request answered first', 'AbortError'),
}
/** A client that talks to more keys than this forgets the least recently used. */
const MAX_KEYS = 1_000

interface KeyState {
  readonly budget: RetryBudget
  readonly latencies: Latencies
}

export function hedgeStage(policy: HedgePolicy): Stage<unknown> {
  const keys = new LruMap<string, KeyState>(MAX_KEYS)
  return (request, next) => {
    if (!hedgeable(request)) return next(request)
    const key = keys.getOrMake(keyOf(policy.key, request), () => ({
      budget: new RetryBudget(),
      latencies: new Latencies(),
    }))
    const delay = typeof policy.delay === 'number' ? policy.delay : key.latencies.at(policy.delay.percentile)
    key.budget.deposit(policy.budget, Date.now())
    if (delay === null) return timed(request, next, key.latencies)
    return new Race(request, next, policy, key, delay).run()
  }
}

/** One copy only, while the key's answer times are learnt: its time noted when it answers usably. */
function timed<R extends HopRequest>(request: R, next: Next<R>, latencies: Latencies): Promise<Outcome> {
  const started = performance.now()
  return next(request).then((outcome) => {
    if (usable(outcome)) latencies.observe(performance.now() - started)
    return outcome
  })
}

/** An idempotent request (or one with an Idempotency-Key) whose body can be sent again. */
function hedgeable(request: HopRequest): boolean {
  if (request.body instanceof ReadableStream) return false
  return IDEMPOTENT_METHODS.has(request.method) || request.headers.has('idempotency-key')
}

/** An answer the caller can have: a response, not a 408, 429 or 5xx, which another copy may well better. */
function usable(outcome: Outcome): boolean {
  if (outcome.type === 'failure') return false
  const { status } = outcome
  return status < 500 && status !== 408 && status !== 429
}

/** One request's copies: sent one after another, `delay` apart, until one answers usably. */
class Race<R extends HopRequest> {
  readonly #request: R
  readonly #next: Next<R>
  readonly #policy: HedgePolicy
  readonly #key: KeyState
  readonly #delay: number
  readonly #copies: { readonly request: R; readonly started: number; readonly settled: Promise<void> }[] = []
  /** The answers no caller should have, with the copy each came from, in the order they came. */
  readonly #unusable: { readonly copy: number; readonly outcome: Outcome }[] = []
  #pending = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #resolve: (outcome: Outcome) => void = () => {}
  #reject: (error: unknown) => void = () => {}
  /** Set once the race is decided, to the copy that won (-1 when none did: a copy threw). */
  #winner: number | null = null

  constructor(request: R, next: Next<R>, policy: HedgePolicy, key: KeyState, delay: number) {
    this.#request = request
    this.#next = next
    this.#policy = policy
    this.#key = key
    this.#delay = delay
  }

  run(): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
      this.#send()
    })
  }

  /** Sends one more copy, on a deadline of its own beneath the call's, and waits for the next. */
  #send(): void {
    const request = { ...this.#request, deadline: this.#request.deadline.branch() }
    const copy = this.#copies.length
    const started = performance.now()
    this.#pending += 1
    let answered: Promise<Outcome>
    try {
      answered = this.#next(request)
    } catch (error) {
      answered = Promise.reject(error)
    }
    const settled = answered.then(
      (outcome) => this.#answered(copy, outcome, performance.now() - started),
      (error: unknown) => this.#failed(error),
    )
    this.#copies.push({ request, started, settled })
    this.#schedule()
  }

  #schedule(): void {
    clearTimeout(this.#timer)
    if (this.#copies.length > this.#policy.max) return
    this.#timer = setTimeout(() => this.#hedge('delay'), this.#delay)
  }

  /** No usable answer yet (the delay passed, or every copy failed): another copy, if the budget allows one. */
  #hedge(reason: HedgeEvent['reason']): boolean {
    if (this.#winner !== null || this.#copies.length > this.#policy.max) return false
    if (this.#request.deadline.ended) return false
    const sent = this.#key.budget.tryWithdraw(this.#policy.budget, Date.now())
    const { trace: call, url } = this.#request
    const copy = this.#copies.length
    publish(channels.hedge, () => ({ call, url, copy, reason, sent }))
    if (sent) this.#send()
    return sent
  }

  #answered(copy: number, outcome: Outcome, elapsed: number): void {
    this.#pending -= 1
    // Late: another copy won. Its body is never read; its connection goes back.
    if (this.#winner !== null) {
      if (outcome.type === 'response') void cancelResponse(outcome)
      return
    }
    if (usable(outcome)) {
      this.#key.latencies.observe(elapsed)
      this.#notePending(copy)
      this.#win(copy, outcome)
      return
    }
    this.#unusable.push({ copy, outcome })
    // A copy that failed is no reason to wait out the delay: the next goes at once.
    const first = this.#unusable[0] as { readonly copy: number; readonly outcome: Outcome }
    if (this.#pending === 0 && !this.#hedge('failure')) this.#win(first.copy, first.outcome)
  }

  /**
   * The copies still waiting when `winner` answered took at least as long as they have: noted
   * so, or the answer times would hold only the copies that won, and the percentile would fall
   * below the slow answers it is meant to catch — hedging more than its share.
   */
  #notePending(winner: number): void {
    const now = performance.now()
    this.#copies.forEach((copy, index) => {
      if (index !== winner && !this.#unusable.some((other) => other.copy === index)) {
        this.#key.latencies.observe(now - copy.started)
      }
    })
  }

  /** A copy threw (a hook of the caller's, a key function): the call ends with it. */
  #failed(error: unknown): void {
    this.#pending -= 1
    if (this.#winner !== null) return
    this.#winner = -1
    clearTimeout(this.#timer)
    this.#cancelOthers()
    this.#reject(error)
  }

  /** Copy `copy`'s `outcome` is the answer: the others are cancelled and awaited, their answers let go. */
  #win(copy: number, outcome: Outcome): void {
    this.#winner = copy
    clearTimeout(this.#timer)
    for (const other of this.#unusable) {
      if (other.copy !== copy && other.outcome.type === 'response') void cancelResponse(other.outcome)
    }
    // Each cancelled copy ends as it is told (its attempt recorded) before the call goes on.
    void Promise.all(this.#cancelOthers()).then(() => this.#resolve(outcome))
  }

  /** Cancels every copy but the winner; the promises that settle as each has ended. */
  #cancelOthers(): Promise<void>[] {
    const others: Promise<void>[] = []
    this.#copies.forEach((copy, index) => {
      if (index === this.#winner) return
      copy.request.deadline.cancel(LOST)
      others.push(copy.settled)
    })
    return others
  }
}
