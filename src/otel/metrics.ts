/**
 * The metrics: `http.client.request.duration` per attempt, as the conventions define it, and
 * counters and histograms of what the policies did, read from each call's `meta` as it ends and
 * from the breaker's channel. Every attribute is of low cardinality: the server, a method, a
 * reason — never a URL or a key.
 */
import type { Attributes, Meter } from '@opentelemetry/api'
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  METRIC_HTTP_CLIENT_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions'
import type {
  AttemptEndEvent,
  BreakerEvent,
  CallEndEvent,
  ConcurrencyEvent,
  HedgeEvent,
  PolicyWaitEvent,
} from '../call/diagnostics.ts'
import { attemptErrorType, methodAttributes, protocolAttributes, serverAttributes } from './attributes.ts'
import type { Instrumentation } from './options.ts'

/** The buckets the semantic conventions advise for http.client.request.duration, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
/** Cooldowns run from milliseconds to the five minutes one response may set, in seconds. */
const COOLDOWN_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

/** The policy metrics, by name: what each counts is in docs/tracing.md's table. */
export const POLICY_METRICS = {
  retries: 'fetchkind.client.retries',
  retryStops: 'fetchkind.client.retry_stops',
  cacheLookups: 'fetchkind.client.cache.lookups',
  storeFallbacks: 'fetchkind.client.store.fallbacks',
  cooldownWaits: 'fetchkind.client.cooldown.duration',
  policyWaits: 'fetchkind.client.policy.wait.duration',
  refusals: 'fetchkind.client.refusals',
  breakerTransitions: 'fetchkind.client.breaker.transitions',
  hedges: 'fetchkind.client.hedges',
  concurrencyLimit: 'fetchkind.client.concurrency.limit',
} as const

export function metricListeners(
  meter: Meter,
  settings: Instrumentation,
): readonly (readonly [string, (message: never) => void])[] {
  const listeners: [string, (message: never) => void][] = []
  if (settings.durationMetric) {
    const duration = meter.createHistogram(METRIC_HTTP_CLIENT_REQUEST_DURATION, {
      unit: 's',
      description: 'Duration of HTTP client requests.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    })
    listeners.push([
      'fetchkind:attempt:end',
      (event: AttemptEndEvent) => {
        const attributes: Attributes = {
          ...methodAttributes(event.method),
          ...serverAttributes(event.url),
          ...protocolAttributes(event.protocol),
        }
        if (event.status !== null) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = event.status
        const errorType = attemptErrorType(event.status, event.error)
        if (errorType) attributes[ATTR_ERROR_TYPE] = errorType
        duration.record(event.duration / 1000, attributes)
      },
    ])
  }
  if (settings.policyMetrics) listeners.push(...policyListeners(meter))
  return listeners
}

function policyListeners(meter: Meter): [string, (message: never) => void][] {
  const counter = (name: string, unit: string, description: string) =>
    meter.createCounter(name, { unit, description })
  const retries = counter(
    POLICY_METRICS.retries,
    '{retry}',
    'Attempts retried, by why the wait before the next was as long as it was.',
  )
  const retryStops = counter(
    POLICY_METRICS.retryStops,
    '{call}',
    'Calls whose last failure would have been retried, by why it was not.',
  )
  const cacheLookups = counter(
    POLICY_METRICS.cacheLookups,
    '{call}',
    'Calls the cache answered or passed on, by what it did.',
  )
  const storeFallbacks = counter(
    POLICY_METRICS.storeFallbacks,
    '{operation}',
    'Shared store operations that failed or timed out; the call went on without them.',
  )
  const refusals = counter(
    POLICY_METRICS.refusals,
    '{call}',
    'Calls a circuit breaker, rate limit or bulkhead refused before sending.',
  )
  const breakerTransitions = counter(
    POLICY_METRICS.breakerTransitions,
    '{transition}',
    'Circuit breaker state changes, by the state entered.',
  )
  const hedges = counter(
    POLICY_METRICS.hedges,
    '{copy}',
    'Copies of a request the hedging policy would send, by why and whether the budget let it.',
  )
  const concurrencyLimit = meter.createGauge(POLICY_METRICS.concurrencyLimit, {
    unit: '{request}',
    description: 'The adaptive concurrency limit, recorded as it moves: requests let be in flight at once.',
  })
  const policyWaits = meter.createHistogram(POLICY_METRICS.policyWaits, {
    unit: 's',
    description:
      "Waits for a turn: a rate limit's before an attempt, a bulkhead's queue before a call, an adaptive concurrency limit's before an attempt.",
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  })
  const cooldownWaits = meter.createHistogram(POLICY_METRICS.cooldownWaits, {
    unit: 's',
    description: 'Cooldowns set by another client that calls waited out, or were stopped by.',
    advice: { explicitBucketBoundaries: COOLDOWN_BUCKETS },
  })

  const onCallEnd = ({ call, result }: CallEndEvent) => {
    const server = serverAttributes(call.url)
    const { meta } = result
    for (const attempt of meta.attempts) {
      if (attempt.delayReason)
        retries.add(1, { ...server, 'fetchkind.retry.delay_reason': attempt.delayReason })
    }
    if (meta.retryStop) retryStops.add(1, { ...server, 'fetchkind.retry.stop': meta.retryStop })
    cacheLookups.add(1, { ...server, 'fetchkind.cache': meta.cache })
    for (const fallback of meta.storeFallbacks) {
      storeFallbacks.add(1, {
        'fetchkind.store': fallback.store,
        'fetchkind.store.operation': fallback.operation,
      })
    }
    if (meta.cooldown) {
      cooldownWaits.record(meta.cooldown.ms / 1000, {
        ...server,
        'fetchkind.cooldown.sent': meta.cooldown.sent,
      })
    }
    if (result.kind === 'refused') refusals.add(1, { ...server, 'fetchkind.refusal.reason': result.reason })
  }
  const onPolicyWait = ({ call, policy, ms }: PolicyWaitEvent) => {
    policyWaits.record(ms / 1000, { ...serverAttributes(call.url), 'fetchkind.policy': policy })
  }
  const onBreaker = ({ to }: BreakerEvent) => {
    breakerTransitions.add(1, { 'fetchkind.breaker.state': to })
  }
  const onHedge = ({ call, reason, sent }: HedgeEvent) => {
    hedges.add(1, {
      ...serverAttributes(call.url),
      'fetchkind.hedge.reason': reason,
      'fetchkind.hedge.sent': sent,
    })
  }
  // By server, not by key: a key may name a tenant. Keys that share a server share its series.
  const onConcurrency = ({ url, limit }: ConcurrencyEvent) => {
    concurrencyLimit.record(limit, serverAttributes(url))
  }
  return [
    ['fetchkind:call:end', onCallEnd],
    ['fetchkind:hedge', onHedge],
    ['fetchkind:concurrency', onConcurrency],
    ['fetchkind:breaker', onBreaker],
    ['fetchkind:policy:wait', onPolicyWait],
  ]
}
