/**
 * A budget of extra sends per key, in the manner of Finagle's RetryBudget (and gRPC's retry
 * throttling): retries are allowed up to a share of the requests sent in a recent window, or a
 * small floor when that share is smaller. When an upstream fails everything, each call costs
 * at most (1 + ratio) requests once the ratio rules, instead of (1 + limit), so that retries
 * cannot multiply an outage. The retry policy keeps one per origin (or key) and the hedging
 * policy one of its own: extra sends are allowed up to a share of the requests sent.
 */

import type { Complete } from '../ground/complete.ts'
import { LruMap } from '../ground/lru-map.ts'
import { checkMilliseconds, checkObject, type NamesOf, optionError } from '../ground/validate.ts'

/** How large an origin's retry budget is. */
export interface BudgetOptions {
  /** Retries allowed per request sent to an origin in the window. Default 0.2. */
  readonly ratio?: number | undefined
  /** Retries allowed per second of the window when the ratio allows fewer, so that a quiet client still retries. Default 1. */
  readonly minPerSecond?: number | undefined
  /** How long a request or a retry counts against the budget, in milliseconds. Default 10 000. */
  readonly window?: number | undefined
}

export const BUDGET_NAMES = {
  ratio: true,
  minPerSecond: true,
  window: true,
} as const satisfies NamesOf<BudgetOptions>

/** `options` over `base`, field by field; a bad field is a TypeError naming it under `option` (`'retry.budget'`). */
export function resolveBudget(
  options: BudgetOptions | undefined,
  base: Complete<BudgetOptions>,
  option: string,
): Complete<BudgetOptions> {
  checkObject(options, option)
  if (options === undefined) return base
  const { ratio, minPerSecond, window } = options
  return {
    ratio: ratio === undefined ? base.ratio : atLeastZero(ratio, `${option}.ratio`),
    minPerSecond:
      minPerSecond === undefined ? base.minPerSecond : atLeastZero(minPerSecond, `${option}.minPerSecond`),
    window: window === undefined ? base.window : checkMilliseconds(window, `${option}.window`, 1),
  }
}

function atLeastZero(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw optionError(option, 'a finite number from 0', value)
  }
  return value
}

/** One second per bucket: fine enough for a window of seconds, cheap to sum. */
const BUCKET_MS = 1000

export class RetryBudget {
  /** Bucket start time → requests and retries counted in it. */
  readonly #buckets = new Map<number, { requests: number; retries: number }>()

  /**
   * Counts a request (a first attempt) sent at `now`. Buckets past the window are forgotten when
   * a new one starts (once a second at most), not summed on every request.
   */
  deposit(options: Complete<BudgetOptions>, now: number): void {
    this.#bucket(now, options).requests += 1
  }

  /** Takes back a request counted at `now` that was never sent. */
  refund(options: Complete<BudgetOptions>, now: number): void {
    const bucket = this.#bucket(now, options)
    if (bucket.requests > 0) bucket.requests -= 1
  }

  /** Takes one retry from the budget if it allows one under `options`; says whether it did. */
  tryWithdraw(options: Complete<BudgetOptions>, now: number): boolean {
    const { requests, retries } = this.#inWindow(options, now)
    // The floor lets a quiet client retry; under load the ratio rules, so retries stay a share of traffic.
    const allowed = Math.max(requests * options.ratio, (options.minPerSecond * options.window) / 1000)
    if (retries + 1 > allowed) return false
    this.#bucket(now, options).retries += 1
    return true
  }

  /** Sums the buckets still in the window and forgets the others. */
  #inWindow(options: Complete<BudgetOptions>, now: number): { requests: number; retries: number } {
    let requests = 0
    let retries = 0
    for (const [start, bucket] of this.#buckets) {
      if (start + BUCKET_MS <= now - options.window) {
        this.#buckets.delete(start)
        continue
      }
      requests += bucket.requests
      retries += bucket.retries
    }
    return { requests, retries }
  }

  #bucket(now: number, options: Complete<BudgetOptions>): { requests: number; retries: number } {
    const start = now - (now % BUCKET_MS)
    let bucket = this.#buckets.get(start)
    if (!bucket) {
      this.#inWindow(options, now)
      bucket = { requests: 0, retries: 0 }
      this.#buckets.set(start, bucket)
    }
    return bucket
  }
}

/** A client that talks to more origins than this forgets the least recently used budgets. */
const MAX_ORIGINS = 1000

/** One budget per origin, for one client. */
export class OriginBudgets {
  readonly #byOrigin = new LruMap<string, RetryBudget>(MAX_ORIGINS)

  for(origin: string): RetryBudget {
    return this.#byOrigin.getOrMake(origin, () => new RetryBudget())
  }
}
