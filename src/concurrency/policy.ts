/** The adaptive concurrency policy as a client assembles it: its option (`adaptiveConcurrency`, client only, off by default) and its stage. */
import type { Policy } from '../call/policy.ts'
import {
  type AdaptiveConcurrencyOptions,
  CONCURRENCY_NAMES,
  type ConcurrencyPolicy,
  resolveAdaptiveConcurrency,
} from './options.ts'
import { concurrencyStage } from './stage.ts'

export interface ConcurrencyGiven {
  readonly adaptiveConcurrency?: AdaptiveConcurrencyOptions | boolean | undefined
}

export const concurrencyPolicy: Policy<ConcurrencyGiven, object, ConcurrencyPolicy | null> = {
  names: { client: { adaptiveConcurrency: CONCURRENCY_NAMES }, request: {} },
  shown: { adaptiveConcurrency: 'off' },
  client: (options, parent) => resolveAdaptiveConcurrency(options.adaptiveConcurrency, parent ?? null),
  stage: (policy) => (policy ? concurrencyStage(policy) : null),
}
