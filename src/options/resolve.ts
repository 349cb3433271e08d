/**
 * A client's options, checked once when it is made: a programming mistake throws a TypeError that
 * names the option; nothing downstream re-checks. The shared options merge by the schema
 * (schema.ts), the policies' by each policy (policies.ts).
 */
import { checkObject, optionError } from '../ground/validate.ts'
import { resolveAddressGuard } from '../guard/address-guard.ts'
import { defaultTransport } from '../transport/default.ts'
import { defaultRequestHeaders } from '../transport/default-headers.ts'
import { fetchTransport } from '../transport/fetch.ts'
import { callOptions, NO_REQUEST_OWN } from './call-options.ts'
import { mergeHeaders, mergeSearchParams } from './headers.ts'
import { CLIENT_NAMES, checkNames } from './names.ts'
import { policyCallOptions, resolvePolicies } from './policies.ts'
import type { ClientDefaults } from './resolved.ts'
import { INITIAL, mergeShared } from './schema.ts'
import type { ClientOptions } from './types.ts'
import { toBaseUrl } from './url.ts'

/**
 * A client's options; for a client made by `extend`, merged over its parent's as a request's are
 * over its client's.
 */
export function resolveClientOptions(options: ClientOptions = {}, parent?: ClientDefaults): ClientDefaults {
  checkObject(options, 'options')
  checkNames(options, CLIENT_NAMES)
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw optionError('fetch', 'a fetch function', options.fetch)
  }
  if (options.transport !== undefined && typeof options.transport !== 'function') {
    throw optionError('transport', 'a transport such as undiciTransport()', options.transport)
  }
  if (options.transport !== undefined && options.fetch !== undefined) {
    throw new TypeError(
      'fetchkind: options "fetch" and "transport" cannot both be set; "fetch" is for the fetch transport',
    )
  }
  const resolved = {
    ...mergeShared(options, parent ?? INITIAL),
    baseUrl: options.baseUrl === undefined ? parent?.baseUrl : toBaseUrl(options.baseUrl),
    headers: mergeHeaders(parent ? new Headers(parent.headers) : defaultRequestHeaders(), options.headers),
    searchParams: mergeSearchParams(new URLSearchParams(parent?.searchParams), options.searchParams),
    addressGuard:
      options.blockPrivateAddresses === undefined && parent
        ? parent.addressGuard
        : resolveAddressGuard(options.blockPrivateAddresses),
    transport:
      options.transport ??
      (options.fetch ? fetchTransport(options.fetch) : (parent?.transport ?? defaultTransport())),
  }
  const policies = resolvePolicies(options, parent?.policies)
  const policyCall = policyCallOptions({}, policies)
  const call = callOptions(resolved, policyCall, resolved.addressGuard, NO_REQUEST_OWN)
  return { ...resolved, policies, policyCall, callOptions: call }
}
