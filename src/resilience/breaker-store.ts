/**
 * What the replicas of a service share of their circuit breakers (`circuitBreaker.store`). Each
 * replica counts its own attempts; when its breaker opens, it tells the others, whose breakers open
 * for the same break without waiting to see the failures themselves. When the break ends, one
 * probe goes for the whole fleet (a claim on the store), not one from each replica; the probe's
 * outcome reaches every replica: a success closes them all, a failure opens them all again. A
 * breaker new to a replica (its first call to a key), and each every SYNC_INTERVAL, asks the store
 * whether the fleet's is open, so that a replica that started, or lost its subscription, during a
 * break learns of it.
 */

import type { BreakerSettings } from './breaker.ts'

/** How often a breaker in use asks the store of its fleet's break although nothing was pushed, ms. */
export const SYNC_INTERVAL = 10_000

/** What a replica hears of a breaker: it opened somewhere for `ms`, or a probe closed it. */
export type BreakerNews = { readonly state: 'open'; readonly ms: number } | { readonly state: 'closed' }

/** The answer to a claim: this replica sends the probe, or waits `ms` for the one out (or the break) to end. */
export type ProbeClaim = { readonly claimed: true } | { readonly claimed: false; readonly ms: number }

export interface BreakerStore {
  /**
   * Calls `listener` with what any replica's breaker does, this one's included; returns how to
   * stop. Throws a TypeError when the store cannot tell (a Redis store made without a subscriber).
   */
  watch(listener: (key: string, news: BreakerNews) => void): () => void
  /** How long the fleet's break on `key` has left, ms; 0 when there is none. */
  openFor(key: string): Promise<number>
  /** This replica's breaker for `key` opened for `ms`: the fleet's do too. */
  opened(key: string, ms: number): Promise<void>
  /** A probe succeeded here: the fleet's breakers for `key` close. */
  closed(key: string): Promise<void>
  /** Claims one of the fleet's `probes` places for `key`, each held for at most `ms`. */
  claimProbe(key: string, probes: number, ms: number): Promise<ProbeClaim>
  /**
   * An attempt through this replica's closed breaker for `key` failed: counted in the fleet's
   * window, beside every replica's, and the fleet's breaker opened (every replica told) once the
   * fleet's failures reach `settings` — so that an outage opens a running fleet's breakers on the
   * fleet's evidence, not after each replica has seen `minimumThroughput` of its own. Resolves
   * with how long the fleet's break has left, ms (0: none). Optional: without it each replica
   * counts only its own.
   */
  failed?(key: string, settings: BreakerSettings): Promise<number>
  /** An attempt through this replica's closed breaker succeeded: counted in the fleet's window later, with no round trip. */
  succeeded?(key: string, settings: BreakerSettings): void
}
