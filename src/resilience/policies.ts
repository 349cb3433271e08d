/**
 * The resilience policies as a client assembles them: each a client option (`bulkhead`,
 * `circuitBreaker`, `rateLimit`), off by default, with no per-request options, and its stage.
 */
import type { Policy } from '../call/policy.ts'
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

export const bulkheadPolicy: Policy<
  { readonly bulkhead?: BulkheadOptions | boolean },
  object,
  BulkheadPolicy | null
> = {
  names: { client: { bulkhead: BULKHEAD_NAMES }, request: {} },
  shown: { bulkhead: 'off' },
  client: (options, parent) => resolveBulkhead(options.bulkhead, parent ?? null),
  stage: (policy) => (policy ? bulkheadStage(policy) : null),
}

export const breakerPolicy: Policy<
  { readonly circuitBreaker?: CircuitBreakerOptions | boolean },
  object,
  BreakerPolicy | null
> = {
  names: { client: { circuitBreaker: BREAKER_NAMES }, request: {} },
  shown: { circuitBreaker: 'off' },
  client: (options, parent) => resolveCircuitBreaker(options.circuitBreaker, parent ?? null),
  stage: (policy) => (policy ? breakerStage(policy) : null),
}

export const rateLimitPolicy: Policy<
  { readonly rateLimit?: RateLimitOptions | boolean },
  object,
  LimiterPolicy | null
> = {
  names: { client: { rateLimit: RATE_LIMIT_NAMES }, request: {} },
  shown: { rateLimit: 'off' },
  client: (options, parent) => resolveRateLimit(options.rateLimit, parent ?? null),
  stage: (policy) => (policy ? limiterStage(policy) : null),
}
