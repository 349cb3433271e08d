/**
 * The adaptive concurrency policy's options (`adaptiveConcurrency`), defaults and validation, and
 * the live policy a client keeps: a limit and a bulkhead per key.
 */
import { Bulkhead } from '../call/bulkhead.ts'
import { byOrigin, type PolicyKey } from '../call/policy-key.ts'
import { LruMap } from '../ground/lru-map.ts'
import {
  checkFunction,
  checkWhole,
  type NamesOf,
  optionError,
  resolveSwitchable,
} from '../ground/validate.ts'
import { AdaptiveLimit, type LimitBounds } from './limit.ts'

export interface AdaptiveConcurrencyOptions {
  /** The least the limit goes down to. Default 1. */
  readonly minConcurrent?: number | undefined
  /** The limit a key starts with, before anything is measured. Default 20 (Netflix's), or `maxConcurrent` when lower. */
  readonly initialConcurrent?: number | undefined
  /** The most the limit goes up to. Default 1 000 (the bulkhead's). */
  readonly maxConcurrent?: number | undefined
  /**
   * Calls waiting for a turn once the limit is reached; the rest are refused at once
   * (`reason: 'concurrency-limited'`). Default as many as the limit, so that the queue drains in
   * about one round trip.
   */
  readonly maxQueued?: number | undefined
  /** What a limit is kept by. Default the origin. */
  readonly key?: PolicyKey | undefined
}

/** A key's limit and the bulkhead that keeps calls to it. */
export interface KeyedLimit {
  readonly limit: AdaptiveLimit
  readonly bulkhead: Bulkhead
}

export interface ConcurrencyPolicy {
  readonly key: PolicyKey
  readonly bounds: LimitBounds
  /** `null`: as many as the limit. */
  readonly maxQueued: number | null
  limitFor(key: string, now: number): KeyedLimit
}

export const CONCURRENCY_NAMES = {
  minConcurrent: true,
  initialConcurrent: true,
  maxConcurrent: true,
  maxQueued: true,
  key: true,
} as const satisfies NamesOf<AdaptiveConcurrencyOptions>

const MIN = 1
const INITIAL = 20
const MAX = 1_000
/** The most keys kept, as the resilience policies keep theirs. */
const MAX_KEYS = 10_000

/**
 * `given` over the parent's; `null` for the policy off (the default). A client made by `extend`
 * shares its parent's limits, unless it gives options of its own.
 */
export function resolveAdaptiveConcurrency(
  given: AdaptiveConcurrencyOptions | boolean | undefined,
  parent: ConcurrencyPolicy | null,
): ConcurrencyPolicy | null {
  return resolveSwitchable(given, parent, 'adaptiveConcurrency', (options) => {
    const base = parent?.bounds
    const min = checkWhole(options.minConcurrent ?? base?.min ?? MIN, 'adaptiveConcurrency.minConcurrent', 1)
    const max = checkWhole(
      options.maxConcurrent ?? base?.max ?? MAX,
      'adaptiveConcurrency.maxConcurrent',
      min,
    )
    const initial = checkWhole(
      options.initialConcurrent ?? Math.min(max, Math.max(min, base?.initial ?? INITIAL)),
      'adaptiveConcurrency.initialConcurrent',
      min,
    )
    if (initial > max)
      throw optionError('adaptiveConcurrency.initialConcurrent', `at most maxConcurrent (${max})`, initial)
    const maxQueued =
      options.maxQueued === undefined
        ? (parent?.maxQueued ?? null)
        : checkWhole(options.maxQueued, 'adaptiveConcurrency.maxQueued', 0)
    return policyOf(
      { min, max, initial },
      maxQueued,
      checkFunction(options.key, 'adaptiveConcurrency.key') ?? parent?.key ?? byOrigin,
    )
  })
}

function policyOf(bounds: LimitBounds, maxQueued: number | null, key: PolicyKey): ConcurrencyPolicy {
  // What a key's limit learnt outlasts its quiet spells, so it is kept after its calls end, the
  // least recently used forgotten past MAX_KEYS. Calls in flight under a forgotten one still
  // release it: they hold it, not the map.
  const limits = new LruMap<string, KeyedLimit>(MAX_KEYS)
  return {
    key,
    bounds,
    maxQueued,
    limitFor: (name, now) =>
      limits.getOrMake(name, () => {
        const limit = new AdaptiveLimit(bounds, now)
        const settings = {
          get maxConcurrent() {
            return limit.value
          },
          get maxQueued() {
            return maxQueued ?? limit.steady
          },
        }
        return { limit, bulkhead: new Bulkhead(settings) }
      }),
  }
}
