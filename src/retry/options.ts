/** The retry policy's options, defaults and validation. */

import { BUDGET_NAMES, type BudgetOptions, resolveBudget } from '../call/budget.ts'
import { byOrigin, type PolicyKey } from '../call/policy-key.ts'
import type { Complete } from '../ground/complete.ts'
import {
  checkBoolean,
  checkFunction,
  checkMethods,
  checkMilliseconds,
  checkObject,
  checkOneOf,
  isToken,
  type NamesOf,
  optionError,
} from '../ground/validate.ts'
import { IDEMPOTENT_METHODS } from '../http/methods.ts'
import type { DelayReason } from '../result/types.ts'
import type { CooldownEvidence, RetryStore } from './store.ts'

export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none'

export interface BackoffOptions {
  /** The first wait, before jitter, in milliseconds. Default 300. */
  readonly initial?: number | undefined
  /** The longest wait, before jitter, in milliseconds. Default 10 000. */
  readonly max?: number | undefined
  /** Each wait is the previous one times this. Default 2. */
  readonly factor?: number | undefined
  /** How the wait is randomised. Default `'full'`: anywhere from 0 to the wait. */
  readonly jitter?: Jitter | undefined
}

/** What `shouldRetry` and `onRetry` are told about a failed attempt. */
export interface RetryContext {
  /** The attempt that failed, from 1. */
  readonly attempt: number
  readonly retriesLeft: number
  readonly method: string
  readonly url: URL
  /** The response status, or `null` when the attempt got no response. */
  readonly status: number | null
  /** The network error code or `'timeout'` when the attempt got no response, else `null`. */
  readonly error: string | null
  /** What fetchkind decided on its own, before `shouldRetry` was asked. */
  readonly retryable: boolean
}

export interface RetryNotice extends RetryContext {
  /** Milliseconds fetchkind is about to wait. */
  readonly delay: number
  readonly delayReason: DelayReason
}

/** Told of each retry before its wait: the attempt, what it got, the delay and why. */
export type BeforeRetryHook = (context: RetryNotice) => void | Promise<void>

export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  readonly limit?: number | undefined
  /** Statuses to retry. Default 429, 502, 503, 504. */
  readonly statusCodes?: readonly number[] | undefined
  /** Methods to retry. Default the idempotent ones fetchkind sends: GET, HEAD, OPTIONS, PUT, DELETE, QUERY. */
  readonly methods?: readonly string[] | undefined
  /** Retry transient network failures and attempt timeouts. Default `true`. */
  readonly networkErrors?: boolean | undefined
  readonly backoff?: BackoffOptions | undefined
  /** The longest server-asked wait (Retry-After, RateLimit) to sleep; a longer one returns at once. Default 60 000 ms. */
  readonly maxRetryAfter?: number | undefined
  /** Retries per origin limited to a share of recent requests; `false` turns it off. */
  readonly budget?: BudgetOptions | false | undefined
  /**
   * Where the budget and the origins' cooldowns are kept, so that many clients — the replicas of a
   * service — hold back together (`redisPolicyStore` from `fetchkind/redis`, or `MemoryPolicyStore`
   * for the clients of one process). Default: none; each client keeps its own budget and no cooldown.
   */
  readonly store?: RetryStore | undefined
  /** Overrides fetchkind's decision for a failed attempt (not the limit, budget, deadline or body checks). */
  readonly shouldRetry?: ((context: RetryContext) => boolean | Promise<boolean>) | undefined
  /** Told of each retry before its wait. */
  readonly onRetry?: ((notice: RetryNotice) => void | Promise<void>) | undefined
  /**
   * How many 503s asking for a wait (Retry-After, RateLimit fields), from any client of the store,
   * within how long, set a cooldown for every client: one 503 may be one unhealthy instance behind
   * a load balancer. Default 3 within 10 s; `{ responses: 1 }` sets one on the first, as a 429 does.
   */
  readonly cooldown503?: { readonly responses?: number; readonly window?: number } | undefined
  /**
   * What the budget and the cooldowns are kept by: the origin by default; `byOriginAndCredential()`
   * for a client that carries many tenants' tokens, so that one tenant's 429 holds back only it.
   */
  readonly key?: PolicyKey | undefined
}

export interface RetryPolicy {
  readonly limit: number
  readonly statusCodes: ReadonlySet<number>
  readonly methods: ReadonlySet<string>
  readonly networkErrors: boolean
  readonly backoff: Complete<BackoffOptions>
  readonly maxRetryAfter: number
  readonly budget: Complete<BudgetOptions> | false
  readonly store: RetryStore | undefined
  readonly shouldRetry: RetryOptions['shouldRetry'] | undefined
  readonly onRetry: RetryOptions['onRetry'] | undefined
  readonly key: PolicyKey
  readonly cooldown503: CooldownEvidence
}

/** The retry policy's part of a call's options: what its stage reads. */
export interface RetryCallOptions {
  readonly retry: RetryPolicy | false
  readonly beforeRetry: readonly BeforeRetryHook[]
}

const JITTERS: readonly Jitter[] = ['full', 'equal', 'decorrelated', 'none']
const DEFAULT_BUDGET: Complete<BudgetOptions> = { ratio: 0.2, minPerSecond: 1, window: 10_000 }

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  limit: 2,
  statusCodes: new Set([429, 502, 503, 504]),
  methods: IDEMPOTENT_METHODS,
  networkErrors: true,
  backoff: { initial: 300, max: 10_000, factor: 2, jitter: 'full' },
  maxRetryAfter: 60_000,
  budget: DEFAULT_BUDGET,
  store: undefined,
  shouldRetry: undefined,
  onRetry: undefined,
  key: byOrigin,
  cooldown503: { responses: 3, window: 10_000 },
}

/** `options` over `base`, field by field; `false` turns retries off. Throws a TypeError naming a bad field. */
export function resolveRetryPolicy(
  given: RetryOptions | number | false | undefined,
  base: RetryPolicy | false,
): RetryPolicy | false {
  if (given === undefined) return base
  if (given === false) return false
  // ky's and got's shorthand: a number is the limit, the rest of the policy as it was.
  const options = typeof given === 'number' ? { limit: count(given, 'retry') } : given
  checkObject(options, 'retry')
  const from = base === false ? DEFAULT_RETRY_POLICY : base
  const {
    limit,
    statusCodes,
    methods,
    networkErrors,
    backoff,
    maxRetryAfter,
    budget,
    store,
    shouldRetry,
    onRetry,
    key,
    cooldown503,
  } = options
  return {
    limit: limit === undefined ? from.limit : count(limit, 'retry.limit'),
    statusCodes: statusCodes === undefined ? from.statusCodes : statusSet(statusCodes),
    methods: methods === undefined ? from.methods : methodSet(methods),
    networkErrors:
      networkErrors === undefined ? from.networkErrors : checkBoolean(networkErrors, 'retry.networkErrors'),
    backoff: backoff === undefined ? from.backoff : resolveBackoff(backoff, from.backoff),
    maxRetryAfter:
      maxRetryAfter === undefined
        ? from.maxRetryAfter
        : checkMilliseconds(maxRetryAfter, 'retry.maxRetryAfter'),
    budget:
      budget === undefined
        ? from.budget
        : budget === false
          ? false
          : resolveBudget(budget, from.budget || DEFAULT_BUDGET, 'retry.budget'),
    store: store === undefined ? from.store : retryStore(store),
    shouldRetry: checkFunction(shouldRetry, 'retry.shouldRetry') ?? from.shouldRetry,
    onRetry: checkFunction(onRetry, 'retry.onRetry') ?? from.onRetry,
    key: checkFunction(key, 'retry.key') ?? from.key,
    cooldown503:
      cooldown503 === undefined ? from.cooldown503 : resolveEvidence(cooldown503, from.cooldown503),
  }
}

function resolveBackoff(options: BackoffOptions, base: Complete<BackoffOptions>): Complete<BackoffOptions> {
  checkObject(options, 'retry.backoff')
  const resolved = {
    initial:
      options.initial === undefined
        ? base.initial
        : checkMilliseconds(options.initial, 'retry.backoff.initial'),
    max: options.max === undefined ? base.max : checkMilliseconds(options.max, 'retry.backoff.max'),
    factor: options.factor === undefined ? base.factor : positive(options.factor, 'retry.backoff.factor', 1),
    jitter: options.jitter === undefined ? base.jitter : jitter(options.jitter),
  }
  if (resolved.max < resolved.initial) {
    throw optionError(
      'retry.backoff.max',
      `at least retry.backoff.initial (${resolved.initial})`,
      resolved.max,
    )
  }
  return resolved
}

function count(value: unknown, option: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 100) {
    throw optionError(option, 'a whole number from 0 to 100', value)
  }
  return value as number
}

function positive(value: unknown, option: string, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw optionError(option, `a finite number from ${min}`, value)
  }
  return value
}

function resolveEvidence(given: RetryOptions['cooldown503'], base: CooldownEvidence): CooldownEvidence {
  checkObject(given, 'retry.cooldown503')
  const { responses, window } = given ?? {}
  if (responses !== undefined && (!Number.isSafeInteger(responses) || responses < 1)) {
    throw optionError('retry.cooldown503.responses', 'a whole number from 1', responses)
  }
  return {
    responses: responses ?? base.responses,
    window: window === undefined ? base.window : checkMilliseconds(window, 'retry.cooldown503.window', 1),
  }
}

function retryStore(value: unknown): RetryStore {
  return checkMethods(value, ['admit', 'withdraw', 'coolDown'], 'retry.store', 'a store')
}

function jitter(value: unknown): Jitter {
  return checkOneOf(value, JITTERS, 'retry.backoff.jitter')
}

function statusSet(value: unknown): ReadonlySet<number> {
  if (
    !Array.isArray(value) ||
    !value.every((status) => Number.isInteger(status) && status >= 100 && status <= 599)
  ) {
    throw optionError('retry.statusCodes', 'a list of statuses from 100 to 599', value)
  }
  return new Set(value)
}

function methodSet(value: unknown): ReadonlySet<string> {
  if (!Array.isArray(value) || !value.every((method) => typeof method === 'string' && isToken(method))) {
    throw optionError('retry.methods', 'a list of HTTP methods', value)
  }
  return new Set(value.map((method: string) => method.toUpperCase()))
}

/** The names `retry` takes. */
export const RETRY_NAMES = {
  limit: true,
  statusCodes: true,
  methods: true,
  networkErrors: true,
  backoff: { initial: true, max: true, factor: true, jitter: true } satisfies NamesOf<BackoffOptions>,
  maxRetryAfter: true,
  budget: BUDGET_NAMES,
  store: true,
  shouldRetry: true,
  onRetry: true,
  cooldown503: { responses: true, window: true } satisfies NamesOf<NonNullable<RetryOptions['cooldown503']>>,
  key: true,
} as const satisfies NamesOf<RetryOptions>
