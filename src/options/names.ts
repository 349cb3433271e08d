/**
 * Which option names there are, and the TypeError for any other: a misspelt or foreign option
 * (`retry.limt`, `prefixUrl`, `throwHttpErrors`) was accepted and ignored, so a policy the caller
 * meant to set silently did not apply. Each policy names its options beside their type
 * (`NamesOf<T>` makes the list exactly the type's keys); here they are put together and checked,
 * at the top level and in every nested options object.
 */

import { nearestName } from '../ground/nearest.ts'
import type { NamesOf, OptionNames } from '../ground/validate.ts'
import { ADDRESS_GUARD_NAMES } from '../guard/address-guard.ts'
import { type PolicyKeys, policyNames } from './policies.ts'
import type { ClientOptions, HookOptions, RequestOptions, TimeoutOptions } from './types.ts'

/** The hooks the kernel and the client run; each policy names its own. */
const HOOKS = {
  beforeRequest: true,
  afterResult: true,
  afterInterim: true,
} as const satisfies NamesOf<Omit<HookOptions, PolicyKeys<'hooks'>>>

const SHARED = {
  baseUrl: true,
  headers: true,
  searchParams: true,
  responseType: true,
  timeout: { attempt: true, total: true } satisfies NamesOf<TimeoutOptions>,
  maxBodySize: true,
  parseJson: true,
  stringifyJson: true,
  throwOn: true,
  hooks: HOOKS,
  sensitiveHeaders: true,
  onUploadProgress: true,
  onDownloadProgress: true,
} as const

/** The names `createClient` and `extend` take: the assembly's and the kernel's, then each policy's. */
export const CLIENT_NAMES: OptionNames = withPolicies(
  {
    ...SHARED,
    fetch: true,
    transport: true,
    blockPrivateAddresses: ADDRESS_GUARD_NAMES,
  } satisfies NamesOf<Omit<ClientOptions, PolicyKeys<'client'>>>,
  'client',
)

/** The names a request takes (its `cache` is a mode, not a store's options). */
export const REQUEST_NAMES: OptionNames = withPolicies(
  {
    ...SHARED,
    method: true,
    json: true,
    body: true,
    signal: true,
    idempotencyKey: true,
    schema: true,
    dispatcher: true,
  } satisfies NamesOf<Omit<RequestOptions, PolicyKeys<'request'>>>,
  'request',
)

/** `names` with each policy's merged in, nested names (`hooks`) by name. */
function withPolicies(names: OptionNames, side: 'client' | 'request'): OptionNames {
  return policyNames(side).reduce(mergeNames, names)
}

function mergeNames(into: OptionNames, more: OptionNames): OptionNames {
  const merged: Record<string, true | OptionNames> = { ...into }
  for (const [name, value] of Object.entries(more)) {
    const held = merged[name]
    merged[name] = held && held !== true && value !== true ? mergeNames(held, value) : value
  }
  return merged
}

/** What other clients call an option, by its path there: fetchkind's name for it. */
const FOREIGN: Readonly<Record<string, string>> = {
  prefixUrl: 'baseUrl',
  baseURL: 'baseUrl',
  throwHttpErrors: 'throwOn',
  validateStatus: 'throwOn',
  params: 'searchParams',
  query: 'searchParams',
  data: 'json (or body)',
  followRedirect: 'redirect.follow',
  maxRedirects: 'redirect.max',
  'timeout.request': 'timeout.total',
  'timeout.response': 'timeout.attempt',
  'hooks.afterResponse': 'hooks.afterResult',
  'hooks.beforeError': 'hooks.afterResult',
  'retry.retries': 'retry.limit',
  'retry.statusCode': 'retry.statusCodes',
  'retry.afterStatusCodes': 'retry.statusCodes',
  'retry.errorCodes': 'retry.networkErrors',
  'retry.backoffLimit': 'retry.backoff.max',
  'retry.delay': 'retry.backoff',
  'retry.calculateDelay': 'retry.backoff',
}

/** fetch's RequestInit names that mean nothing to a client on a server; `toFetch()` takes them. */
const FETCH_ONLY = new Set([
  'credentials',
  'mode',
  'referrer',
  'referrerPolicy',
  'integrity',
  'keepalive',
  'window',
  'priority',
])
/** fetch's `duplex: 'half'`, which a streamed body needs there and nothing needs here. */
const HARMLESS = new Set(['duplex'])

/** Throws a TypeError naming the first option `given` has that `names` does not. */
export function checkNames(given: object, names: OptionNames, path = ''): void {
  for (const name of Object.keys(given)) {
    const option = `${path}${name}`
    // Own names only: `constructor` or `toString` is no option.
    const known = Object.hasOwn(names, name) ? names[name] : undefined
    if (known === undefined) {
      if (path === '' && HARMLESS.has(name)) continue
      throw unknownOption(option, names, path)
    }
    const value = (given as Record<string, unknown>)[name]
    if (known !== true && isPlainObject(value)) checkNames(value, known, `${option}.`)
  }
}

function unknownOption(option: string, names: OptionNames, path: string): TypeError {
  const name = option.slice(path.length)
  const foreign = FOREIGN[option] ?? FOREIGN[name]
  const hint = foreign
    ? `; fetchkind calls it "${foreign}"`
    : path === '' && FETCH_ONLY.has(name)
      ? "; it is fetch's, and means nothing here (client.toFetch() takes fetch's init)"
      : nearest(name, Object.keys(names), path)
  return new TypeError(`fetchkind: unknown option "${option}"${hint}`)
}

/** `; did you mean "…"?` for the known name nearest `name`, if one is near enough to be meant. */
function nearest(name: string, known: readonly string[], path: string): string {
  const best = nearestName(name, known)
  return best === null ? '' : `; did you mean "${path}${best}"?`
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
