/**
 * The one small interface a shared retry store implements, so that many clients — the replicas of
 * a service — hold back together: one retry budget per origin across all of them, and a cooldown
 * per origin that one client's 429 or 503 with Retry-After sets for every client.
 */

import type { BudgetOptions } from '../call/budget.ts'
import type { Complete } from '../ground/complete.ts'

/** A wait an origin asked of every client: the status that asked for it, and the milliseconds left. */
export interface Cooldown {
  readonly status: 429 | 503
  readonly ms: number
}

/** How many responses must agree, within how long, before a cooldown is set for every client. */
export interface CooldownEvidence {
  readonly responses: number
  /** ms, from the first of them. */
  readonly window: number
}

export interface RetryStore {
  /**
   * Returns the cooldown running for `origin`, if any; when there is none, counts a request about
   * to be sent to `origin` against its budget (none when `budget` is `false`: a retry is not a
   * request). One atomic step, so that a request held back is never counted.
   */
  admit(origin: string, budget: Complete<BudgetOptions> | false): Promise<Cooldown | null>
  /**
   * The request `admit` counted was never sent (a circuit breaker or a rate limit refused it):
   * its count is given back, so that refused calls do not swell the budget. Optional; without
   * it, such a request stays counted. Never waited for, so never a round trip on the call's way.
   */
  unsent?(origin: string, budget: Complete<BudgetOptions>): void
  /** Takes one retry from `origin`'s budget if it allows one under `budget`; says whether it did. */
  withdraw(origin: string, budget: Complete<BudgetOptions>): Promise<boolean>
  /**
   * Holds every client back from `origin` for `cooldown.ms`; a longer cooldown already running
   * stays. With `evidence`, this response is counted first, and the cooldown is set only once
   * `evidence.responses` of them (from any client of the store) arrived within `evidence.window`.
   */
  coolDown(origin: string, cooldown: Cooldown, evidence?: CooldownEvidence): Promise<void>
}
