/** The deadline policy as a client assembles it: its option (`deadline`) and its stage. */
import type { Policy } from '../call/policy.ts'
import type { NamesOf } from '../ground/validate.ts'
import {
  DEADLINE_NAMES,
  DEFAULT_DEADLINE_POLICY,
  type DeadlineCallOptions,
  type DeadlineOptions,
  resolveDeadlinePolicy,
} from './options.ts'
import { deadlineStage } from './stage.ts'

/** What it reads of a client's or a request's options. */
export interface DeadlineGiven {
  readonly deadline?: DeadlineOptions | undefined
}

const NAMES = { deadline: DEADLINE_NAMES } as const satisfies NamesOf<DeadlineGiven>

export const deadlinePolicy: Policy<DeadlineGiven, DeadlineGiven, DeadlineCallOptions, DeadlineCallOptions> =
  {
    names: { client: NAMES, request: NAMES },
    shown: { deadline: "inherit the deadline scope's, send none" },
    client: (options, parent) => ({
      deadline: resolveDeadlinePolicy(options.deadline, (parent ?? DEFAULTS).deadline),
    }),
    // A request that names none shares its client's: nothing made per call.
    call: (options, client) =>
      options.deadline === undefined
        ? client
        : { deadline: resolveDeadlinePolicy(options.deadline, client.deadline) },
    stage: () => deadlineStage,
  }

const DEFAULTS: DeadlineCallOptions = { deadline: DEFAULT_DEADLINE_POLICY }
