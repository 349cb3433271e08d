/** The hedging policy's options (`hedge`), defaults and validation. */
import { BUDGET_NAMES, type BudgetOptions, resolveBudget } from '../call/budget.ts'
import { byOrigin, type PolicyKey } from '../call/policy-key.ts'
import type { Complete } from '../ground/complete.ts'
import {
  checkFunction,
  checkMilliseconds,
  type NamesOf,
  optionError,
  resolveSwitchable,
} from '../ground/validate.ts'

export interface HedgeOptions {
  /**
   * How long to wait for an answer before sending another copy: milliseconds, or the key's recent
   * answer time at a percentile (`{ percentile: 97 }`, the default), which sends no copy until 20
   * answers are known. "The Tail at Scale" waits for the 95th; with a budget of 5 % more requests,
   * that would spend the whole budget on ordinary answers and leave none for the slow ones.
   */
  readonly delay?: number | { readonly percentile: number } | undefined
  /** The most copies sent besides the first, each `delay` after the one before. Default 2. */
  readonly max?: number | undefined
  /**
   * Copies allowed per request sent with the same key in a recent window (`ratio`, default 0.05),
   * or `minPerSecond` (default 1) when that is fewer, over `window` ms (default 10 000): a slow
   * upstream gets at most 5 % more requests, not twice as many.
   */
  readonly budget?: BudgetOptions | undefined
  /** What the budget and the answer times are kept by. Default the origin. */
  readonly key?: PolicyKey | undefined
}

export interface HedgePolicy {
  readonly delay: number | { readonly percentile: number }
  readonly max: number
  readonly budget: Complete<BudgetOptions>
  readonly key: PolicyKey
}

export const HEDGE_NAMES = {
  delay: { percentile: true },
  max: true,
  budget: BUDGET_NAMES,
  key: true,
} as const satisfies NamesOf<HedgeOptions>

const DEFAULTS: HedgePolicy = {
  delay: { percentile: 97 },
  max: 2,
  budget: { ratio: 0.05, minPerSecond: 1, window: 10_000 },
  key: byOrigin,
}

/** `given` over the parent's; `null` for hedging off (the default). */
export function resolveHedge(
  given: HedgeOptions | boolean | undefined,
  parent: HedgePolicy | null,
): HedgePolicy | null {
  return resolveSwitchable(given, parent, 'hedge', (options) => {
    const base = parent ?? DEFAULTS
    const { delay, max, budget, key } = options
    return {
      delay: delay === undefined ? base.delay : checkDelay(delay, base.delay),
      max: max === undefined ? base.max : checkMax(max),
      budget: resolveBudget(budget, base.budget, 'hedge.budget'),
      key: checkFunction(key, 'hedge.key') ?? base.key,
    }
  })
}

function checkDelay(delay: unknown, base: HedgePolicy['delay']): HedgePolicy['delay'] {
  if (typeof delay === 'number') return checkMilliseconds(delay, 'hedge.delay')
  const percentile = (delay as { percentile?: unknown } | null)?.percentile
  // `{ percentile: undefined }` names no percentile: an option given as undefined is not given.
  if (typeof delay === 'object' && delay !== null && percentile === undefined) return base
  if (typeof delay !== 'object' || typeof percentile !== 'number' || !(percentile > 0 && percentile < 100)) {
    throw optionError('hedge.delay', 'milliseconds, or { percentile } between 0 and 100', delay)
  }
  return { percentile }
}

function checkMax(max: unknown): number {
  if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 10) {
    throw optionError('hedge.max', 'a whole number from 1 to 10', max)
  }
  return max as number
}
