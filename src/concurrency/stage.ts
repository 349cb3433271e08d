/**
 * The adaptive concurrency policy as a stage: beneath the breaker and the rate limit, just above
 * the attempt, so that what it bounds and measures is what the upstream holds — each attempt, each
 * hedge's copy, each redirect's hop, from its sending to its response head — and nothing above
 * (a retry's wait, a rate limit's turn, a cache hit) is taken for the upstream's time.
 */
import { announceConcurrency } from '../call/diagnostics.ts'
import { keyOf } from '../call/policy-key.ts'
import type { Outcome, Stage } from '../call/stage.ts'
import { turnIn } from '../call/turn.ts'
import type { ConcurrencyPolicy } from './options.ts'

export function concurrencyStage(policy: ConcurrencyPolicy): Stage<unknown> {
  return async (request, next) => {
    const key = keyOf(policy.key, request)
    const { limit, bulkhead } = policy.limitFor(key, performance.now())
    const release = await turnIn(bulkhead, request, 'concurrency', 'concurrency-limited')
    if (typeof release !== 'function') {
      request.record.passedConcurrencyLimit(key, limit.value)
      return release
    }
    const inFlight = bulkhead.running
    const sent = performance.now()
    let outcome: Outcome | undefined
    try {
      outcome = await next(request)
      return outcome
    } finally {
      release()
      const said = outcome ? whatItSays(outcome) : 'nothing'
      if (said !== 'nothing') {
        const now = performance.now()
        const before = limit.value
        if (limit.sample(now, now - sent, said === 'shed', inFlight)) {
          bulkhead.admit()
          announceConcurrency(key, request.url, limit.value, before)
        }
      }
      request.record.passedConcurrencyLimit(key, limit.value)
    }
  }
}

/**
 * What an outcome says of the upstream's load: an answer's round trip, or that the upstream shed
 * the request (429, 503, a timeout, a connection it refused or dropped). A call its caller
 * aborted, a copy another copy beat, a refusal from a hook says nothing.
 */
function whatItSays(outcome: Outcome): 'answered' | 'shed' | 'nothing' {
  if (outcome.type === 'response')
    return outcome.status === 429 || outcome.status === 503 ? 'shed' : 'answered'
  const { failure } = outcome
  if (failure.kind === 'network-error') return 'shed'
  if (failure.kind === 'timeout' && failure.phase !== 'signal') return 'shed'
  return 'nothing'
}
