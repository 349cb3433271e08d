/** The retry policy as a client assembles it: its options (`retry`, `hooks.beforeRetry`), its budgets, its stage. */

import { OriginBudgets } from '../call/budget.ts'
import type { HookOptionsOf } from '../call/hooks.ts'
import type { Policy } from '../call/policy.ts'
import { checkHooks, type NamesOf } from '../ground/validate.ts'
import {
  type BeforeRetryHook,
  DEFAULT_RETRY_POLICY,
  RETRY_NAMES,
  type RetryCallOptions,
  type RetryOptions,
  resolveRetryPolicy,
} from './options.ts'
import { retryStage } from './stage.ts'

/** What it reads of a client's or a request's options. */
export interface RetryGiven {
  readonly retry?: RetryOptions | number | false | undefined
  readonly hooks?: HookOptionsOf<{ beforeRetry: BeforeRetryHook }> | undefined
}

/** A client's retry options, and the budgets (one per origin) it shares with the clients it extends to. */
export interface RetryState {
  readonly defaults: RetryCallOptions
  readonly budgets: OriginBudgets
}

const NAMES = { retry: RETRY_NAMES, hooks: { beforeRetry: true } } as const satisfies NamesOf<RetryGiven>

export const retryPolicy: Policy<RetryGiven, RetryGiven, RetryState, RetryCallOptions> = {
  names: { client: NAMES, request: NAMES },
  shown: { retry: '2 retries of 429, 502, 503, 504 and transient network failures' },
  client: (options, parent) => ({
    defaults: merge(options, parent?.defaults ?? DEFAULTS),
    budgets: parent?.budgets ?? new OriginBudgets(),
  }),
  // A request that names neither shares its client's: nothing made per call.
  call: (options, client) =>
    options.retry === undefined && options.hooks?.beforeRetry === undefined
      ? client.defaults
      : merge(options, client.defaults),
  stage: (client) => retryStage(client.budgets),
}

const DEFAULTS: RetryCallOptions = { retry: DEFAULT_RETRY_POLICY, beforeRetry: [] }

function merge(options: RetryGiven, base: RetryCallOptions): RetryCallOptions {
  return {
    retry: resolveRetryPolicy(options.retry, base.retry),
    beforeRetry: checkHooks(options.hooks?.beforeRetry, 'hooks.beforeRetry', base.beforeRetry),
  }
}
