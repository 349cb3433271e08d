/** The adaptive concurrency policy as a client assembles it: its option (`adaptiveConcurrency`, client only, off by default) and its stage. */
import { clientOnly } from '../call/policy.ts'
import {
  type AdaptiveConcurrencyOptions,
  CONCURRENCY_NAMES,
  type ConcurrencyPolicy,
  resolveAdaptiveConcurrency,
} from './options.ts'
import { concurrencyStage } from './stage.ts'

export const concurrencyPolicy = clientOnly<
  'adaptiveConcurrency',
  AdaptiveConcurrencyOptions | boolean,
  ConcurrencyPolicy
>('adaptiveConcurrency', CONCURRENCY_NAMES, resolveAdaptiveConcurrency, concurrencyStage)
