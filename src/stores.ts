/**
 * `fetchkind/stores`: the stores the policies keep their state in, and the interfaces a store of
 * your own implements — the HTTP cache's (`cache.store`), and the policy store that retries,
 * rate limits and circuit breakers share (`retry.store`, `rateLimit.store`, `circuitBreaker.store`).
 * The stores on Redis are `fetchkind/redis`.
 */
export { MemoryStore, type MemoryStoreOptions } from './cache/memory-store.ts'
export type { CacheEntry, CacheStore } from './cache/store.ts'
export type { BreakerNews, BreakerStore, ProbeClaim } from './resilience/breaker-store.ts'
export type { LimiterSettings, RateLimitStore, SharedGrant } from './resilience/limiter.ts'
export type { Cooldown, CooldownEvidence, RetryStore } from './retry/store.ts'
export { MemoryPolicyStore } from './stores/memory-policy-store.ts'
