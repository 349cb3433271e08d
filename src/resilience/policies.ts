/**
 * The resilience policies as a client assembles them: each a client option (`bulkhead`,
 * `circuitBreaker`, `rateLimit`), off by default, with no per-request options, and its stage.
 */
import { clientOnly } from '../call/policy.ts'
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
