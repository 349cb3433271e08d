/** One call's options: a request's merged over its client's, checked, ready for the pipeline. */
import { checkObject, isToken, optionError } from '../ground/validate.ts'
import { crossesOrigin } from '../redirect/next-hop.ts'
import type { Dispatcher } from '../transport/types.ts'
import { callOptions } from './call-options.ts'
import { checkSchema } from './checks.ts'
import { mergeHeaders, mergeSearchParams } from './headers.ts'
import { checkNames, REQUEST_NAMES } from './names.ts'
import { namesPolicyOptions, policyCallOptions } from './policies.ts'
import { requestBody } from './request-body.ts'
import {
  AS_FETCH,
  type ClientDefaults,
  CREDENTIALS_FOR,
  type PreparedCall,
  type ResolvedOptions,
} from './resolved.ts'
import { mergeShared, type SharedResolved } from './schema.ts'
import type { RequestOptions } from './types.ts'
import { resolveUrl, toBaseUrl } from './url.ts'

/** Fetch's list, and PATCH and QUERY, which servers match in capitals too. */
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY'])
/** Methods fetch refuses to send. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

/**
 * The options of a call that names its method alone (`client.get(url)`, most calls): one frozen
 * object per method, known by identity, so that such a call skips checking and merging options
 * it cannot have.
 */
const METHOD_ONLY = new Map<unknown, RequestOptions>()

/** `{ method }`, the same object each time for a standard method in capitals. */
export function methodOnly(method: string): RequestOptions {
  let init = METHOD_ONLY.get(method)
  if (init === undefined) {
    init = Object.freeze({ method })
    if (NORMALISED_METHODS.has(method)) METHOD_ONLY.set(method, init)
  }
  return init
}

/** Merges a request's options over the client's and checks them; throws TypeError on a mistake. */
export function prepareCall(
  defaults: ClientDefaults,
  input: string | URL,
  init: RequestOptions = {},
): PreparedCall {
  const methodAlone = METHOD_ONLY.get(init.method) === init
  if (!methodAlone) {
    checkObject(init, 'init')
    checkNames(init, REQUEST_NAMES)
  }
  const method = normaliseMethod(init.method ?? 'GET')
  const baseUrl = init.baseUrl === undefined ? defaults.baseUrl : toBaseUrl(init.baseUrl)
  const url = resolveUrl(input, baseUrl)
  if (defaults.searchParams.size > 0 || init.searchParams !== undefined) {
    const searchParams = mergeSearchParams(new URLSearchParams(defaults.searchParams), init.searchParams)
    for (const name of new Set(searchParams.keys())) {
      url.searchParams.delete(name)
      for (const value of searchParams.getAll(name)) url.searchParams.append(name, value)
    }
  }
  const shared = methodAlone ? defaults : mergeShared(init, defaults)
  const { responseType, sensitiveHeaders } = shared
  // A client's own credentials are for its baseUrl's origin: an absolute URL elsewhere, perhaps
  // user-supplied, does not get them (axios CVE-2025-27152). The request's own are its to send.
  const offBase = defaults.baseUrl !== undefined && url.origin !== defaults.baseUrl.origin
  // A URL a server chose gets no credentials, the request's own included, off their origin.
  const credentialsFor = (init as { [CREDENTIALS_FOR]?: URL })[CREDENTIALS_FOR]
  const offCredentials = credentialsFor !== undefined && crossesOrigin(credentialsFor, url)
  // The client's headers serve as they are unless this request changes them: nothing downstream
  // writes to a request's headers (call/stage.ts), so sharing them is safe and saves a copy a call.
  const changesHeaders =
    offBase ||
    offCredentials ||
    init.headers !== undefined ||
    (init.idempotencyKey !== undefined && init.idempotencyKey !== false) ||
    init.json !== undefined ||
    (init.body !== undefined && init.body !== null) ||
    responseType === 'json'
  const headers = changesHeaders ? new Headers(defaults.headers) : defaults.headers
  if (offBase) for (const name of sensitiveHeaders) headers.delete(name)
  mergeHeaders(headers, init.headers)
  if (offCredentials) for (const name of sensitiveHeaders) headers.delete(name)
  setIdempotencyKey(headers, init.idempotencyKey)
  const body = requestBody(init, method, headers, shared.stringifyJson)
  if (responseType === 'json' && !headers.has('accept')) headers.set('accept', 'application/json')
  if (init.signal !== undefined && !(init.signal instanceof AbortSignal)) {
    throw optionError('signal', 'an AbortSignal', init.signal)
  }
  return {
    url,
    method,
    headers,
    body,
    signal: init.signal,
    options: methodAlone ? defaults.callOptions : optionsOf(init, defaults, shared),
  }
}

/** The call's options: its client's own, shared, unless the request names any option of its own. */
function optionsOf(init: RequestOptions, defaults: ClientDefaults, shared: SharedResolved): ResolvedOptions {
  const policiesNamed = namesPolicyOptions(init)
  const resourceTiming = (init as { [AS_FETCH]?: boolean })[AS_FETCH] === true
  const ownNamed = init.schema !== undefined || init.dispatcher !== undefined || resourceTiming
  if (shared === defaults && !policiesNamed && !ownNamed) return defaults.callOptions
  return callOptions(
    shared,
    policiesNamed ? policyCallOptions(init, defaults.policies) : defaults.policyCall,
    defaults.addressGuard,
    {
      schema: checkSchema(init.schema, shared.responseType),
      dispatcher: checkDispatcher(init.dispatcher),
      resourceTiming,
    },
  )
}

function checkDispatcher(dispatcher: unknown): Dispatcher | undefined {
  if (dispatcher === undefined) return undefined
  if (typeof (dispatcher as Partial<Dispatcher> | null)?.dispatch !== 'function') {
    throw optionError('dispatcher', 'an undici Dispatcher (an object with dispatch())', dispatcher)
  }
  return dispatcher as Dispatcher
}

function normaliseMethod(method: unknown): string {
  // Nearly every call names a standard method in capitals: nothing to check or change.
  if (typeof method === 'string' && NORMALISED_METHODS.has(method)) return method
  if (typeof method !== 'string' || !isToken(method))
    throw optionError('method', 'an HTTP method token', method)
  const upper = method.toUpperCase()
  if (FORBIDDEN_METHODS.has(upper)) throw optionError('method', 'a method fetch can send', method)
  return NORMALISED_METHODS.has(upper) ? upper : method
}

/** One key per call, so that every attempt of it is the same operation to the server. */
function setIdempotencyKey(headers: Headers, key: boolean | string | undefined): void {
  if (key === undefined || key === false) return
  if (key !== true && (typeof key !== 'string' || key === '' || /[\r\n\0]/.test(key))) {
    throw optionError('idempotencyKey', 'true, false or a non-empty header value', key)
  }
  if (!headers.has('idempotency-key'))
    headers.set('idempotency-key', key === true ? crypto.randomUUID() : key)
}
