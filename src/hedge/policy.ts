/** The hedging policy as a client assembles it: its option (`hedge`, client only, off by default) and its stage. */
import type { Policy } from '../call/policy.ts'
import { HEDGE_NAMES, type HedgeOptions, type HedgePolicy, resolveHedge } from './options.ts'
import { hedgeStage } from './stage.ts'

export interface HedgeGiven {
  readonly hedge?: HedgeOptions | boolean | undefined
}

export const hedgePolicy: Policy<HedgeGiven, object, HedgePolicy | null> = {
  names: { client: { hedge: HEDGE_NAMES }, request: {} },
  shown: { hedge: 'off' },
  client: (options, parent) => resolveHedge(options.hedge, parent ?? null),
  stage: (policy) => (policy ? hedgeStage(policy) : null),
}
