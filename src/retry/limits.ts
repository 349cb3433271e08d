/**
 * The retry stage's dealings with the budget and the cooldowns for one request: the client's own
 * budget always, and the shared store (`retry.store`) when there is one. A store that fails or is
 * too slow is noted in `meta.storeFallbacks`, and the request goes on with the client's own budget
 * and no cooldown: the shared store makes replicas politer, never a new way to fail.
 */

import type { OriginBudgets, RetryBudget } from '../call/budget.ts'
import { keyOf } from '../call/policy-key.ts'
import type { HopRequest, Outcome } from '../call/stage.ts'
import { storeOrFallback } from '../call/store-fallback.ts'
import { serverWait } from '../http/server-wait.ts'
import type { RetryPolicy } from './options.ts'
import type { Cooldown } from './store.ts'

/**
 * The longest cooldown one response sets for every client. A longer Retry-After still holds back
 * the client that got it (up to `maxRetryAfter`), but one hostile or mistaken header cannot
 * silence every replica for a day without the origin being asked again.
 */
export const MAX_COOLDOWN = 5 * 60_000

export class RetryLimits {
  readonly #request: HopRequest
  readonly #policy: RetryPolicy
  readonly #origin: string
  readonly #own: RetryBudget | null

  constructor(budgets: OriginBudgets, request: HopRequest, policy: RetryPolicy) {
    this.#request = request
    this.#policy = policy
    this.#origin = keyOf(policy.key, request)
    this.#own = policy.budget === false ? null : budgets.for(this.#origin)
  }

  /**
   * Counts the request, once sent, in the client's own budget — even with a store, so that it
   * has the recent history should the store fail.
   */
  deposit(): void {
    if (this.#policy.budget !== false) this.#own?.deposit(this.#policy.budget, Date.now())
  }

  /** The request the store counted as it let it go was never sent: its count is given back. */
  unsent(): void {
    const { store, budget } = this.#policy
    if (budget !== false) store?.unsent?.(this.#origin, budget)
  }

  /** The cooldown running for the origin in the shared store; without one, the store counts the request. */
  admit(): Promise<Cooldown | null> {
    return this.#admit(this.#policy.budget)
  }

  /** The cooldown running for the origin in the shared store, before a retry (which is no request). */
  cooldown(): Promise<Cooldown | null> {
    return this.#admit(false)
  }

  async #admit(budget: RetryPolicy['budget']): Promise<Cooldown | null> {
    const { store } = this.#policy
    if (!store) return null
    return storeOrFallback(this.#request, 'retry', 'admit', null, () => store.admit(this.#origin, budget))
  }

  /** Takes one retry from the budget: the shared one, or the client's own when there is no store or it failed. */
  async withdraw(now: number): Promise<boolean> {
    const { store, budget } = this.#policy
    if (budget === false) return true
    const shared = store
      ? await storeOrFallback(this.#request, 'retry', 'withdraw', undefined, () =>
          store.withdraw(this.#origin, budget),
        )
      : undefined
    return shared ?? (this.#own as RetryBudget).tryWithdraw(budget, now)
  }

  /** When `outcome` is a 429 or 503 asking for a wait, holds every client of the store back for it. */
  async report(outcome: Outcome): Promise<void> {
    const { store } = this.#policy
    if (!store || outcome.type !== 'response') return
    const { status } = outcome
    if (status !== 429 && status !== 503) return
    const asked = serverWait(status, outcome.headers)
    if (!asked || asked.wait.ms <= 0) return
    const ms = Math.min(asked.wait.ms, MAX_COOLDOWN)
    // One 503 may be one unhealthy instance behind a load balancer: a fleet-wide cooldown needs
    // several to agree (retry.cooldown503). A 429 is the origin's word about this client's rate.
    const evidence =
      status === 503 && this.#policy.cooldown503.responses > 1 ? this.#policy.cooldown503 : undefined
    await storeOrFallback(this.#request, 'retry', 'cool-down', undefined, () =>
      store.coolDown(this.#origin, { status, ms }, evidence),
    )
  }
}
