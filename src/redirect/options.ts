/** The redirect policy's options, defaults and validation. */
import {
  checkBoolean,
  checkFunction,
  checkObject,
  checkOneOf,
  type NamesOf,
  optionError,
} from '../ground/validate.ts'
import type { BeforeRedirectHook } from './hooks.ts'

export interface RedirectOptions {
  /** Which redirects to follow. Default `'always'` (within the checks below). */
  readonly follow?: (typeof FOLLOW)[number] | undefined
  /** Most redirects to follow in one call; the next is returned with reason `'max-redirects'`. Default 10. */
  readonly max?: number | undefined
  /** Follow https: → http:. Default `false`. */
  readonly allowDowngrade?: boolean | undefined
  /** Schemes a redirect may lead to. Default `['http:', 'https:']`. */
  readonly protocols?: readonly ('http:' | 'https:')[] | undefined
  /** Asked last, for a hop every other check allows; `false` refuses it with reason `'policy'`. */
  readonly shouldFollow?: ((from: URL, to: URL, status: number) => boolean | Promise<boolean>) | undefined
}

export interface RedirectPolicy {
  readonly follow: 'always' | 'same-origin' | 'never'
  readonly max: number
  readonly allowDowngrade: boolean
  readonly protocols: ReadonlySet<string>
  readonly shouldFollow: RedirectOptions['shouldFollow'] | undefined
}

/** The redirect policy's part of a call's options (and of a client's: the same two). */
export interface RedirectCallOptions {
  readonly redirect: RedirectPolicy
  readonly beforeRedirect: readonly BeforeRedirectHook[]
}

/** Every value of `follow`: the option's type and the CLI's `--follow` both come from it. */
export const FOLLOW = ['always', 'same-origin', 'never'] as const
const PROTOCOLS = ['http:', 'https:']

export const DEFAULT_REDIRECT_POLICY: RedirectPolicy = {
  follow: 'always',
  max: 10,
  allowDowngrade: false,
  protocols: new Set(PROTOCOLS),
  shouldFollow: undefined,
}

/** `options` over `base`, field by field; throws a TypeError naming a bad field. */
export function resolveRedirectPolicy(
  options: RedirectOptions | undefined,
  base: RedirectPolicy,
): RedirectPolicy {
  checkObject(options, 'redirect')
  if (options === undefined) return base
  const { follow, max, allowDowngrade, protocols, shouldFollow } = options
  if ('stripHeaders' in options) {
    throw new TypeError(
      'fetchkind: option "redirect.stripHeaders" is now "sensitiveHeaders", beside "redirect"',
    )
  }
  if (follow !== undefined) checkOneOf(follow, FOLLOW, 'redirect.follow')
  if (max !== undefined && !(Number.isInteger(max) && max >= 0)) {
    throw optionError('redirect.max', 'a whole number from 0', max)
  }
  if (allowDowngrade !== undefined) checkBoolean(allowDowngrade, 'redirect.allowDowngrade')
  if (
    protocols !== undefined &&
    !(Array.isArray(protocols) && protocols.length > 0 && protocols.every((p) => PROTOCOLS.includes(p)))
  ) {
    throw optionError('redirect.protocols', "a non-empty list of 'http:' and 'https:'", protocols)
  }
  checkFunction(shouldFollow, 'redirect.shouldFollow')
  return {
    follow: follow ?? base.follow,
    max: max ?? base.max,
    allowDowngrade: allowDowngrade ?? base.allowDowngrade,
    protocols: protocols ? new Set(protocols) : base.protocols,
    shouldFollow: shouldFollow ?? base.shouldFollow,
  }
}

/** The names `redirect` takes. */
export const REDIRECT_NAMES = {
  follow: true,
  max: true,
  allowDowngrade: true,
  protocols: true,
  shouldFollow: true,
} as const satisfies NamesOf<RedirectOptions>
