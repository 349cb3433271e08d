/** The hedging policy as a client assembles it: its option (`hedge`, client only, off by default) and its stage. */
import { clientOnly } from '../call/policy.ts'
import { HEDGE_NAMES, type HedgeOptions, type HedgePolicy, resolveHedge } from './options.ts'
import { hedgeStage } from './stage.ts'

export const hedgePolicy = clientOnly<'hedge', HedgeOptions | boolean, HedgePolicy>(
  'hedge',
  HEDGE_NAMES,
  resolveHedge,
  hedgeStage,
)
