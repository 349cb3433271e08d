/** The redirect policy as a client assembles it: its options (`redirect`, `hooks.beforeRedirect`) and its stage. */
import type { HookOptionsOf } from '../call/hooks.ts'
import type { Policy } from '../call/policy.ts'
import { checkHooks, type NamesOf } from '../ground/validate.ts'
import type { BeforeRedirectHook } from './hooks.ts'
import {
  DEFAULT_REDIRECT_POLICY,
  REDIRECT_NAMES,
  type RedirectCallOptions,
  type RedirectOptions,
  resolveRedirectPolicy,
} from './options.ts'
import { redirectStage } from './stage.ts'

/** What it reads of a client's or a request's options. */
export interface RedirectGiven {
  readonly redirect?: RedirectOptions | undefined
  readonly hooks?: HookOptionsOf<{ beforeRedirect: BeforeRedirectHook }> | undefined
}

const NAMES = {
  redirect: REDIRECT_NAMES,
  hooks: { beforeRedirect: true },
} as const satisfies NamesOf<RedirectGiven>

export const redirectPolicy: Policy<RedirectGiven, RedirectGiven, RedirectCallOptions, RedirectCallOptions> =
  {
    names: { client: NAMES, request: NAMES },
    shown: { redirect: 'follow always, max 10' },
    client: (options, parent) => merge(options, parent ?? DEFAULTS),
    // A request that names neither shares its client's: nothing made per call.
    call: (options, client) =>
      options.redirect === undefined && options.hooks?.beforeRedirect === undefined
        ? client
        : merge(options, client),
    stage: () => redirectStage,
  }

const DEFAULTS: RedirectCallOptions = { redirect: DEFAULT_REDIRECT_POLICY, beforeRedirect: [] }

function merge(options: RedirectGiven, base: RedirectCallOptions): RedirectCallOptions {
  return {
    redirect: resolveRedirectPolicy(options.redirect, base.redirect),
    beforeRedirect: checkHooks(options.hooks?.beforeRedirect, 'hooks.beforeRedirect', base.beforeRedirect),
  }
}
