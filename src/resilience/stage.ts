/**
 * The resilience policies as stages. Where each sits, outermost first, and why:
 *
 *   bulkhead → redirect → cache → retry → breaker → rate limit → attempt
 *
 * - The bulkhead bounds calls, not attempts: a call holds its place through its redirects, its
 *   retries and their waits, until its response headers arrive.
 * - The breaker and the rate limit sit beneath the cache, so that a cache hit spends nothing, and
 *   beneath the retry stage and the redirect stage, so that every attempt the upstream would see —
 *   each retry, each hop — is counted by the breaker and spends a token. A breaker that opens
 *   during a call's retries refuses its next attempt.
 * - The breaker is above the rate limit: a call to an upstream that is failing is refused at once,
 *   without waiting for, or spending, a token.
 */
import { channels, publish } from '../call/diagnostics.ts'
import { sleep } from '../call/wait.ts'
import { rateLimitQuota } from '../http/rate-limit.ts'
import { serverWait } from '../http/server-wait.ts'
import { failureOutcome, type HopRequest, type Outcome, type Stage } from '../pipeline/stage.ts'
import { storeOrFallback } from '../pipeline/store-fallback.ts'
import type { RefusalReason } from '../result/types.ts'
import type { Transition } from './breaker.ts'
import { keyOf } from './key.ts'
import type { Grant } from './limiter.ts'
import type { BreakerPolicy, BulkheadPolicy, LimiterPolicy } from './options.ts'

/** A refusal before sending, with when to come back (`null`: not known). */
function refused(request: HopRequest, reason: RefusalReason, retryAt: number | null): Outcome {
  const retryAfter =
    retryAt === null ? null : { ms: Math.max(0, retryAt - Date.now()), at: new Date(retryAt) }
  return failureOutcome(request.url, { kind: 'refused', reason, retryAfter })
}

/** The call's own end (its deadline, its caller's abort) while it waited for a turn. */
function ended(request: HopRequest): Outcome {
  const failure = request.deadline.ended ?? {
    kind: 'aborted' as const,
    reason: request.deadline.signal.reason,
  }
  return failureOutcome(request.url, failure)
}

export function bulkheadStage(policy: BulkheadPolicy): Stage {
  return async (request, next) => {
    const key = keyOf(policy.key, request)
    const slot = policy.bulkheadFor(key).acquire(request.deadline.signal)
    if (!slot) {
      policy.release(key)
      return refused(request, 'bulkhead-full', null)
    }
    let release: () => void
    try {
      release = await slot
    } catch {
      policy.release(key)
      return ended(request)
    }
    try {
      return await next(request)
    } finally {
      release()
      policy.release(key)
    }
  }
}

export function breakerStage(policy: BreakerPolicy): Stage {
  return async (request, next) => {
    const key = keyOf(policy.key, request)
    const breaker = policy.breakerFor(key)
    const { admission, transition } = breaker.admit(Date.now())
    announce(key, transition)
    if (!admission.admitted) {
      request.notes.passedBreaker(key, 'open', transition ? [transition] : [])
      return refused(request, 'circuit-open', admission.retryAt)
    }
    let outcome: Outcome | undefined
    try {
      outcome = await next(request)
      return outcome
    } finally {
      // No attempt below (a rate limit refused it, a hook threw): nothing to count, a probe given back.
      const attempt = outcome?.attempts.at(-1)
      const now = Date.now()
      const recorded = attempt ? breaker.record(policy.isFailure(attempt), admission.probe, now) : null
      if (!attempt) breaker.giveBack(admission.probe)
      announce(key, recorded)
      const transitions = [transition, recorded].filter((one): one is Transition => one !== null)
      request.notes.passedBreaker(key, breaker.state(now), transitions)
    }
  }
}

export function limiterStage(policy: LimiterPolicy): Stage {
  return async (request, next) => {
    const key = keyOf(policy.key, request)
    const timeLeft = request.deadline.timeLeft ?? Number.POSITIVE_INFINITY
    const grant = await turn(policy, key, request, Math.min(policy.maxWait, timeLeft))
    if (!grant.granted) return refused(request, 'rate-limited', grant.retryAt)
    if (grant.wait > 0) {
      try {
        await sleep(grant.wait, request.deadline.signal)
      } catch {
        return ended(request)
      }
    }
    const outcome = await next(request)
    if (policy.learn && outcome.type === 'response')
      await learn(policy, key, request, outcome.status, outcome.headers)
    return outcome
  }
}

/** A turn: from the shared store when there is one and it answers, else from this client's own limiter. */
async function turn(
  policy: LimiterPolicy,
  key: string,
  request: HopRequest,
  maxWait: number,
): Promise<Grant> {
  const { store } = policy
  if (store) {
    const shared = await storeOrFallback(request, 'rate-limit', 'take', null, () =>
      store.take(key, policy.settings, maxWait),
    )
    if (shared) return shared.granted ? shared : { granted: false, retryAt: Date.now() + shared.retryIn }
  }
  return policy.limiterFor(key).take(Date.now(), maxWait)
}

/** What the upstream says of its quota: spent until a reset, or (a 429) a wait it asks for. */
async function learn(
  policy: LimiterPolicy,
  key: string,
  request: HopRequest,
  status: number,
  headers: Headers,
): Promise<void> {
  const now = Date.now()
  const quota = rateLimitQuota(headers, now)
  const spent = quota && quota.remaining === 0 ? quota.resetMs : 0
  const asked = status === 429 ? (serverWait(status, headers, now)?.wait.ms ?? 0) : 0
  const ms = Math.max(spent, asked)
  if (ms <= 0) return
  // This client's own limiter always learns, so that it knows should the store fail later.
  policy.limiterFor(key).hold(now + ms)
  const { store } = policy
  if (store) await storeOrFallback(request, 'rate-limit', 'hold', undefined, () => store.hold(key, ms))
}

function announce(key: string, transition: Transition | null): void {
  if (transition) publish(channels.breaker, () => ({ key, ...transition }))
}
