/**
 * The resilience policies as a client assembles them: each a client option (`bulkhead`,
 * `circuitBreaker`, `rateLimit`), off by default, with no per-request options, and its stage.
 */
import type { Policy } from '../call/policy.ts'
import type { Stage } from '../call/stage.ts'
import type { OptionNames } from '../ground/validate.ts'
import {
  BREAKER_NAMES,
  type BreakerPolicy,
  BULKHEAD_NAMES,
  type BulkheadOptions,
  type BulkheadPolicy,
  type CircuitBreakerOptions,
  type LimiterPolicy,
  RATE_LIMIT_NAMES,
  type RateLimitOptions,
  resolveBulkhead,
  resolveCircuitBreaker,
  resolveRateLimit,
} from './options.ts'
import { breakerStage, bulkheadStage, limiterStage } from './stage.ts'

/** A policy a client turns on by one option, `K`, and a request cannot change. */
function clientOnly<K extends string, Given, Resolved>(
  option: K,
  names: OptionNames,
  resolve: (given: Given | undefined, parent: Resolved | null) => Resolved | null,
  stage: (policy: Resolved) => Stage<unknown>,
): Policy<{ readonly [name in K]?: Given | undefined }, object, Resolved | null> {
  return {
    names: { client: { [option]: names }, request: {} },
    shown: { [option]: 'off' },
    client: (options, parent) => resolve(options[option], parent ?? null),
    stage: (policy) => (policy ? stage(policy) : null),
  }
}

export const bulkheadPolicy = clientOnly<'bulkhead', BulkheadOptions | boolean, BulkheadPolicy>(
  'bulkhead',
  BULKHEAD_NAMES,
  resolveBulkhead,
  bulkheadStage,
)

export const breakerPolicy = clientOnly<'circuitBreaker', CircuitBreakerOptions | boolean, BreakerPolicy>(
  'circuitBreaker',
  BREAKER_NAMES,
  resolveCircuitBreaker,
  breakerStage,
)

export const rateLimitPolicy = clientOnly<'rateLimit', RateLimitOptions | boolean, LimiterPolicy>(
  'rateLimit',
  RATE_LIMIT_NAMES,
  resolveRateLimit,
  limiterStage,
)
