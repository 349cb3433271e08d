/**
 * The resilience policies as stages. Where each sits in the registry's order
 * (options/policies.ts), and why:
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
import { announceBreaker, announceWait } from '../call/diagnostics.ts'
import { keyOf } from '../call/policy-key.ts'
import {
  endedWhileWaiting,
  type HopRequest,
  type Outcome,
  refusedOutcome,
  type Stage,
} from '../call/stage.ts'
import { storeOrFallback } from '../call/store-fallback.ts'
import { turnIn } from '../call/turn.ts'
import { sleep } from '../ground/wait.ts'
import { rateLimitQuota } from '../http/rate-limit.ts'
import { serverWait } from '../http/server-wait.ts'
import type { CircuitBreaker, Transition } from './breaker.ts'
import type { BreakerStore } from './breaker-store.ts'
import type { Grant } from './limiter.ts'
import type { BreakerPolicy, BulkheadPolicy, LimiterPolicy } from './options.ts'

export function bulkheadStage(policy: BulkheadPolicy): Stage<unknown> {
  return async (request, next) => {
    const key = keyOf(policy.key, request)
    const release = await turnIn(policy.bulkheadFor(key), request, 'bulkhead', 'bulkhead-full')
    if (typeof release !== 'function') {
      policy.release(key)
      return release
    }
    try {
      return await next(request)
    } finally {
      release()
      policy.release(key)
    }
  }
}

export function breakerStage(policy: BreakerPolicy): Stage<unknown> {
  return async (request, next) => {
    const key = keyOf(policy.key, request)
    const breaker = policy.breakerFor(key)
    const transitions: Transition[] = []
    if (policy.store && policy.syncDue(key, Date.now()))
      await syncWithFleet(policy, policy.store, key, breaker, request, transitions)
    const { admission, transition } = breaker.admit(Date.now())
    noteChange(key, transition, transitions)
    const refusal = admission.admitted
      ? admission.probe && policy.store
        ? await claimProbe(policy, policy.store, key, breaker, request, transitions)
        : null
      : admission.retryAt
    if (refusal !== null) {
      request.record.passedBreaker(key, 'open', transitions)
      return refusedOutcome(request.url, 'circuit-open', refusal)
    }
    const probe = admission.admitted && admission.probe
    let outcome: Outcome | undefined
    const before = request.record.attemptCount
    try {
      outcome = await next(request)
      return outcome
    } finally {
      // No attempt below (a rate limit refused it, a hook threw): nothing to count, a probe given back.
      const attempt = outcome && request.record.attemptCount > before ? request.record.lastAttempt : undefined
      const now = Date.now()
      const failed = attempt ? policy.isFailure(attempt) : false
      const recorded = attempt ? breaker.record(failed, probe, now) : null
      if (!attempt) breaker.giveBack(probe)
      noteChange(key, recorded, transitions)
      if (recorded && policy.store) await tellFleet(policy, policy.store, key, recorded, request)
      else if (attempt && !probe && policy.store) {
        await countWithFleet(policy, policy.store, key, failed, breaker, request, transitions)
      }
      request.record.passedBreaker(key, breaker.state(now), transitions)
    }
  }
}

/**
 * The fleet's probe, claimed for this attempt: `null` when this replica sends it, else when to come
 * back — the breaker stays open here until the probe out (or the fleet's break) ends, or the fleet
 * hears how it went. A store that fails leaves the probe to this replica.
 */
async function claimProbe(
  policy: BreakerPolicy,
  store: BreakerStore,
  key: string,
  breaker: CircuitBreaker,
  request: HopRequest,
  transitions: Transition[],
): Promise<number | null> {
  const { halfOpenProbes, breakDuration } = policy.settings
  const claim = await storeOrFallback(request, 'breaker', 'claim', { claimed: true } as const, () =>
    store.claimProbe(key, halfOpenProbes, breakDuration),
  )
  if (claim.claimed) return null
  breaker.giveBack(true)
  const now = Date.now()
  noteChange(key, breaker.trip(now + claim.ms, now), transitions)
  return now + claim.ms
}

/** The fleet's break, asked of the store: this replica's breaker follows it. */
async function syncWithFleet(
  policy: BreakerPolicy,
  store: BreakerStore,
  key: string,
  breaker: CircuitBreaker,
  request: HopRequest,
  transitions: Transition[],
): Promise<void> {
  const ms = await storeOrFallback(request, 'breaker', 'sync', 0, () => store.openFor(key))
  followFleet(policy, key, breaker, ms, transitions)
}

/**
 * An attempt this replica's closed breaker let through, counted in the fleet's window: a failure
 * at once (the fleet's breaker may open on it, and this one with it), a success later, with no
 * round trip.
 */
async function countWithFleet(
  policy: BreakerPolicy,
  store: BreakerStore,
  key: string,
  failed: boolean,
  breaker: CircuitBreaker,
  request: HopRequest,
  transitions: Transition[],
): Promise<void> {
  if (!failed) return store.succeeded?.(key, policy.settings)
  const { failed: count } = store
  if (!count) return
  const ms = await storeOrFallback(request, 'breaker', 'count', 0, () =>
    count.call(store, key, policy.settings),
  )
  followFleet(policy, key, breaker, ms, transitions)
}

/**
 * The fleet's break has `ms` left: this replica's breaker opens for that, but never longer than
 * its own break would last (whatever wrote the store).
 */
function followFleet(
  policy: BreakerPolicy,
  key: string,
  breaker: CircuitBreaker,
  ms: number,
  transitions: Transition[],
): void {
  const now = Date.now()
  const left = Math.min(ms, policy.settings.breakDuration)
  if (left > 0) noteChange(key, breaker.trip(now + left, now), transitions)
}

/** This replica's breaker opened, or its probe closed it: the fleet's follow. */
async function tellFleet(
  policy: BreakerPolicy,
  store: BreakerStore,
  key: string,
  { from, to }: Transition,
  request: HopRequest,
): Promise<void> {
  if (to === 'open') {
    const ms = policy.settings.breakDuration
    await storeOrFallback(request, 'breaker', 'open', undefined, () => store.opened(key, ms))
  } else if (from === 'half-open' && to === 'closed') {
    await storeOrFallback(request, 'breaker', 'close', undefined, () => store.closed(key))
  }
}

function noteChange(key: string, transition: Transition | null, transitions: Transition[]): void {
  if (!transition) return
  transitions.push(transition)
  announceBreaker(key, transition)
}

export function limiterStage(policy: LimiterPolicy): Stage<unknown> {
  return async (request, next) => {
    const key = keyOf(policy.key, request)
    const timeLeft = request.deadline.timeLeft ?? Number.POSITIVE_INFINITY
    const grant = await turn(policy, key, request, Math.min(policy.maxWait, timeLeft))
    if (!grant.granted) return refusedOutcome(request.url, 'rate-limited', grant.retryAt)
    if (grant.wait > 0) {
      try {
        await sleep(grant.wait, request.deadline.signal)
      } catch {
        return endedWhileWaiting(request)
      }
      announceWait(request.trace, 'rate-limit', grant.wait)
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
