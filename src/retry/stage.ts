/**
 * The retry stage: the first attempt; then, for a failure worth deciding, the loop — decide, wait,
 * next attempt (loop.ts, on p-retry). fetchkind's policy decides whether each failure is retried
 * and how long to wait (Retry-After, the rate-limit fields, or backoff with jitter), and a shared
 * retry store can hold a request back for a cooldown another client was given.
 */
import { discardResponse } from '../call/body.ts'
import type { OriginBudgets } from '../call/budget.ts'
import type { NoResponse } from '../call/deadline.ts'
import { channels, publish, type RetryEvent } from '../call/diagnostics.ts'
import { runHook } from '../call/hooks.ts'
import {
  failureOutcome,
  type HopRequest,
  type Next,
  type Outcome,
  responseOutcome,
  type Stage,
} from '../call/stage.ts'
import { sleep } from '../ground/wait.ts'
import type { CacheStatus, RetryStop } from '../result/types.ts'
import { canRetryAtAll, isRetryable, methodAllowsRetry, planRetry, type RetryPlan } from './decide.ts'
import { RetryLimits } from './limits.ts'
import { runAttempts } from './loop.ts'
import type { RetryCallOptions, RetryContext, RetryPolicy } from './options.ts'
import type { Cooldown } from './store.ts'

/** A retry stage whose own budgets (one per origin) live as long as the client that made it. */
export function retryStage(budgets: OriginBudgets): Stage<RetryCallOptions> {
  return (request, next) => {
    const policy = request.options.retry
    if (policy === false) return next(request)
    const limits = new RetryLimits(budgets, request, policy)
    return policy.store
      ? withStore(request, next, policy, limits)
      : firstAttempt(request, next, policy, limits)
  }
}

/** The first attempt, counted in the client's own budget; the loop only for a failure worth deciding. */
async function firstAttempt<R extends HopRequest<RetryCallOptions>>(
  request: R,
  next: Next<R>,
  policy: RetryPolicy,
  limits: RetryLimits,
): Promise<Outcome> {
  // Most first attempts succeed: they need no decision and no retry loop.
  const before = request.record.attemptCount
  const first = await next(request)
  // A request a policy beneath refused (a breaker, a rate limit, a concurrency limit) sent nothing.
  if (request.record.attemptCount > before) limits.deposit()
  if (!worthDeciding(first, policy)) return first
  return retryLoop(request, next, policy, limits, first)
}

/** The same with a shared retry store: held back for its cooldowns, and each answer reported to it. */
async function withStore<R extends HopRequest<RetryCallOptions>>(
  request: R,
  next: Next<R>,
  policy: RetryPolicy,
  limits: RetryLimits,
): Promise<Outcome> {
  const held = await holdBack(request, policy, limits)
  if (held) return held
  const before = request.record.attemptCount
  const first = await next(request)
  // The store's count of a request refused beneath (taken as it let the request go) is given back.
  if (request.record.attemptCount > before) limits.deposit()
  else limits.unsent()
  await limits.report(first)
  if (!worthDeciding(first, policy)) return first
  return retryLoop(request, next, policy, limits, first)
}

/**
 * Waits out the cooldown another client set for the origin in the shared store, and any that
 * follows it (another client was refused again meanwhile), up to `limit` + 1 waits. A wait longer
 * than `maxRetryAfter` or the time left sends nothing: the call gets the status the origin gave
 * the other client, as it would have got it itself. The store counts the request in the budget
 * only when it lets it go, so that calls answered during a cooldown spend nothing.
 */
async function holdBack(
  request: HopRequest,
  policy: RetryPolicy,
  limits: RetryLimits,
): Promise<Outcome | null> {
  for (let waits = 0; ; waits++) {
    const cooldown = await limits.admit()
    if (!cooldown) return null
    const stop = tooLong(cooldown, request, policy) ?? (waits > policy.limit ? 'limit' : null)
    request.record.cooledDown(cooldown.ms, stop === null)
    if (stop) return cooldownAnswer(request, cooldown, stop)
    try {
      await sleep(cooldown.ms, request.deadline.signal)
    } catch {
      return endedOutcome(request)
    }
  }
}

/** The status the origin gave another client, with the wait left as Retry-After; no body, nothing sent. */
function cooldownAnswer(request: HopRequest, cooldown: Cooldown, stop: RetryStop): Outcome {
  request.record.retryStopped(stop)
  return responseOutcome({
    url: request.url,
    status: cooldown.status,
    statusText: '',
    headers: new Headers({ 'retry-after': String(Math.ceil(cooldown.ms / 1000)) }),
    body: null,
    attempt: null,
  })
}

/** The failure of a call its caller's signal or total deadline ended. */
function endedOutcome(request: HopRequest, cache: CacheStatus = 'bypass'): Outcome {
  return failureOutcome(request.url, request.deadline.ended as NoResponse, cache)
}

/** An outcome not worth deciding on: an answer, or a failure nothing could retry. */
const NOT_DECIDED = { retry: false, stop: null } as const

/** Whether a failure could be retried at all: a retryable one, or any failure the hook is asked about. */
function worthDeciding(outcome: Outcome, policy: RetryPolicy): boolean {
  if (!canRetryAtAll(outcome)) return false
  // The hook is asked about failures only: a 2xx or 3xx is an answer, not a failure.
  const failed = outcome.type === 'failure' || outcome.status >= 400
  return isRetryable(outcome, policy) || (policy.shouldRetry !== undefined && failed)
}

async function retryLoop<R extends HopRequest<RetryCallOptions>>(
  request: R,
  next: Next<R>,
  policy: RetryPolicy,
  limits: RetryLimits,
  first: Outcome,
): Promise<Outcome> {
  let last: Outcome | undefined
  let previousDelay = 0

  try {
    return await runAttempts(
      async (number) => {
        const outcome = number === 1 ? first : await next(request)
        last = outcome
        if (number > 1) await limits.report(outcome)
        // The first outcome was found worth deciding before the loop began: each is judged once.
        const verdict =
          number > 1 && !worthDeciding(outcome, policy)
            ? NOT_DECIDED
            : await decide(request, outcome, policy, limits, number - 1, previousDelay)
        publishDecision(request, outcome, number, verdict)
        if (!verdict.retry) {
          if (verdict.stop) request.record.retryStopped(verdict.stop)
          return { done: true, value: outcome }
        }
        request.record.waitsAfterLast(verdict.delay, verdict.delayReason)
        previousDelay = verdict.delay
        // The body nobody will read goes first, so its connection is back in the pool during the wait.
        if (outcome.type === 'response') await discardResponse(outcome)
        await announceRetry(request, outcome, number, policy, verdict)
        return { done: false, wait: verdict.delay }
      },
      { retries: policy.limit, signal: request.deadline.signal },
    )
  } catch (error) {
    if (last?.type === 'response') await discardResponse(last)
    // The caller's signal or the total deadline ended the call, during a wait or an attempt.
    if (request.deadline.ended) return endedOutcome(request, last?.cache)
    throw error
  }
}

/** Tells the `fetchkind:retry` channel what was decided after a failure: a retry, or a stop and why. */
function publishDecision(
  request: HopRequest,
  outcome: Outcome,
  number: number,
  verdict: RetryPlan | { readonly retry: false; readonly stop: RetryStop | null },
): void {
  if (!verdict.retry && verdict.stop === null) return
  publish(channels.retry, (): RetryEvent => {
    const { status, error } = failureOf(outcome)
    return {
      call: request.trace,
      url: outcome.url,
      attempt: number,
      status,
      error,
      retry: verdict.retry,
      delay: verdict.retry ? verdict.delay : 0,
      delayReason: verdict.retry ? verdict.delayReason : null,
      stop: verdict.retry ? null : verdict.stop,
    }
  })
}

/** An outcome's status, or its failure's code (the network code, or the kind) when it got no response. */
function failureOf(outcome: Outcome): { status: number | null; error: string | null } {
  if (outcome.type === 'response') return { status: outcome.status, error: null }
  const { failure } = outcome
  return { status: null, error: failure.kind === 'network-error' ? failure.code : failure.kind }
}

/** Tells `retry.onRetry` and the beforeRetry hooks of the retry about to wait. */
async function announceRetry(
  request: HopRequest<RetryCallOptions>,
  outcome: Outcome,
  number: number,
  policy: RetryPolicy,
  plan: RetryPlan & { readonly retry: true },
): Promise<void> {
  const notice = {
    ...context(request, outcome, number, policy, true),
    delay: plan.delay,
    delayReason: plan.delayReason,
  }
  const { onRetry } = policy
  if (onRetry) await runHook('onRetry', () => onRetry(notice))
  for (const hook of request.options.beforeRetry) await runHook('beforeRetry', () => hook(notice))
}

async function decide(
  request: HopRequest,
  outcome: Outcome,
  policy: RetryPolicy,
  limits: RetryLimits,
  retried: number,
  previousDelay: number,
): Promise<RetryPlan | { readonly retry: false; readonly stop: RetryStop | null }> {
  const done = (stop: RetryStop | null = null) => ({ retry: false as const, stop })
  const retryable = isRetryable(outcome, policy)
  if (!methodAllowsRetry(request.method, request.headers, outcome, policy))
    return done(retryable ? 'method' : null)
  if (policy.shouldRetry) {
    const { shouldRetry } = policy
    const allowed = await runHook('shouldRetry', () =>
      shouldRetry(context(request, outcome, retried + 1, policy, retryable)),
    )
    if (!allowed) return done(retryable ? 'should-retry' : null)
  }
  const now = Date.now()
  const plan = planRetry(
    { outcome, retried, previousDelay, body: request.body, timeLeft: request.deadline.timeLeft, now },
    policy,
  )
  if (!plan.retry) return plan
  const held = await heldLonger(plan, request, policy, limits)
  if (!held.retry) return held
  if (!(await limits.withdraw(now))) return done('budget')
  return held
}

/** The plan, waiting longer when another client set a longer cooldown for the origin meanwhile. */
async function heldLonger(
  plan: RetryPlan & { retry: true },
  request: HopRequest,
  policy: RetryPolicy,
  limits: RetryLimits,
): Promise<RetryPlan> {
  const cooldown = await limits.cooldown()
  if (!cooldown || cooldown.ms <= plan.delay) return plan
  const stop = tooLong(cooldown, request, policy)
  request.record.cooledDown(cooldown.ms, stop === null)
  return stop ? { retry: false, stop } : { retry: true, delay: cooldown.ms, delayReason: 'cooldown' }
}

/** Why a cooldown is not to be waited out, as with a server-asked wait; `null` when it is. */
function tooLong(cooldown: Cooldown, request: HopRequest, policy: RetryPolicy): RetryStop | null {
  if (cooldown.ms > policy.maxRetryAfter) return 'max-retry-after'
  const timeLeft = request.deadline.timeLeft
  return timeLeft !== null && cooldown.ms >= timeLeft ? 'deadline' : null
}

function context(
  request: HopRequest,
  outcome: Outcome,
  attempt: number,
  policy: RetryPolicy,
  retryable: boolean,
): RetryContext {
  return {
    attempt,
    retriesLeft: policy.limit - (attempt - 1),
    method: request.method,
    url: request.url,
    ...failureOf(outcome),
    retryable,
  }
}
