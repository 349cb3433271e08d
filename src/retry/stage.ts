/**
 * The retry stage: p-retry drives the attempts; fetchkind's policy decides whether each failure
 * is retried and how long to wait (Retry-After, the rate-limit fields, or backoff with jitter).
 * p-retry is told not to wait itself (`minTimeout: 0`): the wait is slept in `onFailedAttempt`,
 * on the call's signal, so that the caller's abort or the total deadline ends it at once.
 */
import pRetry from 'p-retry'
import { discardResponse } from '../body.ts'
import { callHook } from '../hooks.ts'
import type { HopRequest, Next, Outcome, Stage } from '../pipeline.ts'
import type { AttemptRecord } from '../result/types.ts'
import type { RetryBudget, RetryBudgets } from './budget.ts'
import {
  canRetryAtAll,
  isRetryable,
  methodAllowsRetry,
  planRetry,
  type RetryPlan,
  type RetryStop,
} from './decide.ts'
import type { RetryContext, RetryPolicy } from './options.ts'
import { sleep } from './sleep.ts'

/** Thrown inside p-retry's loop to have it go round again; carries the wait already decided. */
class PlannedRetry extends Error {
  readonly delay: number

  constructor(delay: number) {
    super('fetchkind: retrying')
    this.delay = delay
  }
}

/** A retry stage whose budgets (one per origin) live as long as the client that made it. */
export function retryStage(budgets: RetryBudgets): Stage {
  return async (request, next) => {
    const policy = request.options.retry
    if (policy === false) return next(request)
    const budget = policy.budget === false ? null : budgets.for(request.url.origin)
    if (policy.budget !== false) budget?.deposit(policy.budget, Date.now())
    // Most first attempts succeed: they need no decision and no retry loop.
    const first = await next(request)
    if (!worthDeciding(first, policy)) return first
    return retryLoop(request, next, policy, budget, first)
  }
}

/** Whether a failure could be retried at all: a retryable one, or any failure the hook is asked about. */
function worthDeciding(outcome: Outcome, policy: RetryPolicy): boolean {
  if (!canRetryAtAll(outcome)) return false
  // The hook is asked about failures only: a 2xx or 3xx is an answer, not a failure.
  const failed = outcome.type === 'failure' || outcome.status >= 400
  return isRetryable(outcome, policy) || (policy.shouldRetry !== undefined && failed)
}

async function retryLoop(
  request: HopRequest,
  next: Next,
  policy: RetryPolicy,
  budget: RetryBudget | null,
  first: Outcome,
): Promise<Outcome> {
  const attempts: AttemptRecord[] = []
  let last: Outcome | undefined
  let previousDelay = 0
  const settle = (outcome: Outcome, stop: RetryStop | null): Outcome => ({
    ...outcome,
    attempts: [...attempts],
    ...(stop ? { retryStop: stop } : {}),
  })

  try {
    return await pRetry(
      async (attemptNumber) => {
        const outcome = attemptNumber === 1 ? first : await next(request)
        last = outcome
        attempts.push(...outcome.attempts)
        const verdict = await decide(request, outcome, policy, budget, attemptNumber - 1, previousDelay)
        if (!verdict.retry) return settle(outcome, verdict.stop)

        const failed = attempts.at(-1) as AttemptRecord
        attempts[attempts.length - 1] = { ...failed, delay: verdict.delay, delayReason: verdict.delayReason }
        previousDelay = verdict.delay
        // The body nobody will read goes first, so its connection is back in the pool during the wait.
        if (outcome.type === 'response') {
          await discardResponse(outcome)
        }
        const notice = {
          ...context(request, outcome, attemptNumber, policy, true),
          delay: verdict.delay,
          delayReason: verdict.delayReason,
        }
        const { onRetry } = policy
        if (onRetry) await callHook('onRetry', () => onRetry(notice))
        for (const hook of request.options.hooks.beforeRetry)
          await callHook('beforeRetry', () => hook(notice))
        throw new PlannedRetry(verdict.delay)
      },
      {
        retries: policy.limit,
        minTimeout: 0,
        signal: request.deadline.signal,
        onFailedAttempt: async ({ error }) => {
          if (error instanceof PlannedRetry) await sleep(error.delay, request.deadline.signal)
        },
        // Anything else thrown in the loop is a bug or a hook's exception, never a reason to retry.
        shouldRetry: ({ error }) => error instanceof PlannedRetry,
      },
    )
  } catch (error) {
    if (last?.type === 'response') await discardResponse(last)
    // The caller's signal or the total deadline ended the call, during a wait or an attempt.
    const ended = request.deadline.ended
    if (ended) {
      const cache = last?.cache ?? 'bypass'
      return {
        type: 'failure',
        failure: ended,
        url: request.url,
        attempts: [...attempts],
        redirects: [],
        cache,
      }
    }
    throw error
  }
}

async function decide(
  request: HopRequest,
  outcome: Outcome,
  policy: RetryPolicy,
  budget: RetryBudget | null,
  retried: number,
  previousDelay: number,
): Promise<RetryPlan | { readonly retry: false; readonly stop: RetryStop | null }> {
  const done = (stop: RetryStop | null = null) => ({ retry: false as const, stop })
  if (!worthDeciding(outcome, policy)) return done()
  const retryable = isRetryable(outcome, policy)
  if (!methodAllowsRetry(request.method, request.headers, policy)) return done(retryable ? 'method' : null)
  if (policy.shouldRetry) {
    const { shouldRetry } = policy
    const allowed = await callHook('shouldRetry', () =>
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
  if (budget && policy.budget !== false && !budget.tryWithdraw(policy.budget, now)) return done('budget')
  return plan
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
    status: outcome.type === 'response' ? outcome.status : null,
    error:
      outcome.type === 'response'
        ? null
        : outcome.failure.kind === 'network-error'
          ? outcome.failure.code
          : outcome.failure.kind,
    retryable,
  }
}
