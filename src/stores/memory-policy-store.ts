/**
 * The policy store in this process's memory: the clients that share one hold back together, as
 * the replicas sharing a Redis store do — their retry budgets and cooldowns, rate limits and
 * circuit breakers. The stages' tests use it in Redis's place.
 */

import type { BudgetOptions } from '../call/budget.ts'
import { OriginBudgets } from '../call/budget.ts'
import type { Complete } from '../ground/complete.ts'
import { LruMap } from '../ground/lru-map.ts'
import type { BreakerNews, BreakerStore, ProbeClaim } from '../resilience/breaker-store.ts'
import {
  type LimiterSettings,
  RateLimiter,
  type RateLimitStore,
  type SharedGrant,
} from '../resilience/limiter.ts'
import { CooldownTable } from '../retry/cooldowns.ts'
import type { Cooldown, CooldownEvidence, RetryStore } from '../retry/store.ts'

/** Cooldowns of origins this store forgets past this many, oldest first (they expire anyway). */
const MAX_COOLDOWNS = 1000

export class MemoryPolicyStore implements RetryStore, RateLimitStore, BreakerStore {
  readonly #budgets = new OriginBudgets()
  readonly #cooldowns = new CooldownTable(MAX_COOLDOWNS)
  /** Key → the rate limit the clients of this store share, and the time before which the upstream said none may go. */
  readonly #limiters = new LruMap<string, RateLimiter>(MAX_COOLDOWNS)
  readonly #holds = new LruMap<string, number>(MAX_COOLDOWNS)
  /** Origin → the responses counted towards a cooldown, and when their window closes. */
  readonly #sightings = new LruMap<string, { count: number; readonly until: number }>(MAX_COOLDOWNS)

  /** The clients' breakers listening, and per key when the fleet's break ends and the probes claimed. */
  readonly #watchers = new Set<(key: string, news: BreakerNews) => void>()
  readonly #breaks = new LruMap<string, number>(MAX_COOLDOWNS)
  readonly #probes = new LruMap<string, { count: number; readonly until: number }>(MAX_COOLDOWNS)

  async admit(origin: string, budget: Complete<BudgetOptions> | false): Promise<Cooldown | null> {
    const now = Date.now()
    const cooldown = this.#cooldowns.running(origin, now)
    if (cooldown) return cooldown
    if (budget !== false) this.#budgets.for(origin).deposit(budget, now)
    return null
  }

  unsent(origin: string, budget: Complete<BudgetOptions>): void {
    this.#budgets.for(origin).refund(budget, Date.now())
  }

  async withdraw(origin: string, budget: Complete<BudgetOptions>): Promise<boolean> {
    return this.#budgets.for(origin).tryWithdraw(budget, Date.now())
  }

  async coolDown(origin: string, cooldown: Cooldown, evidence?: CooldownEvidence): Promise<void> {
    const now = Date.now()
    if (evidence && !this.#corroborated(origin, evidence, now)) return
    this.#cooldowns.set(origin, cooldown, now)
  }

  async take(key: string, settings: LimiterSettings | null, maxWait: number): Promise<SharedGrant> {
    const now = Date.now()
    const limiter = this.#limiters.getOrMake(key, () => new RateLimiter(settings))
    limiter.hold(this.#holds.get(key) ?? Number.NEGATIVE_INFINITY)
    const grant = limiter.take(now, maxWait)
    return grant.granted ? grant : { granted: false, retryIn: grant.retryAt - now }
  }

  async hold(key: string, ms: number): Promise<void> {
    const until = Date.now() + ms
    this.#holds.set(key, Math.max(this.#holds.get(key) ?? 0, until))
  }

  watch(listener: (key: string, news: BreakerNews) => void): () => void {
    this.#watchers.add(listener)
    return () => this.#watchers.delete(listener)
  }

  async openFor(key: string): Promise<number> {
    return Math.max(0, (this.#breaks.get(key) ?? 0) - Date.now())
  }

  async opened(key: string, ms: number): Promise<void> {
    this.#breaks.set(key, Date.now() + ms)
    this.#probes.delete(key)
    for (const listener of this.#watchers) listener(key, { state: 'open', ms })
  }

  async closed(key: string): Promise<void> {
    this.#breaks.delete(key)
    this.#probes.delete(key)
    for (const listener of this.#watchers) listener(key, { state: 'closed' })
  }

  async claimProbe(key: string, probes: number, ms: number): Promise<ProbeClaim> {
    const now = Date.now()
    const breakEnds = this.#breaks.get(key) ?? 0
    if (breakEnds > now) return { claimed: false, ms: breakEnds - now }
    const held = this.#probes.peek(key)
    const claims = held && held.until > now ? held : { count: 0, until: now + ms }
    if (claims.count >= probes) return { claimed: false, ms: claims.until - now }
    claims.count += 1
    this.#probes.set(key, claims)
    return { claimed: true }
  }

  /** Counts a response asking for a wait; whether enough have, within the window from the first. */
  #corroborated(origin: string, evidence: CooldownEvidence, now: number): boolean {
    const running = this.#sightings.peek(origin)
    const sightings = running && running.until > now ? running : { count: 0, until: now + evidence.window }
    sightings.count += 1
    this.#sightings.set(origin, sightings)
    return sightings.count >= evidence.responses
  }
}
