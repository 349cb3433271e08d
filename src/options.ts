/**
 * Options: the public types, their defaults, and validation. Options are checked once, here, and
 * a programming mistake throws a TypeError that names the option; nothing downstream re-checks.
 */

import {
  type CacheMode,
  type CacheOptions,
  type ClientCache,
  resolveClientCache,
  resolveRequestCacheMode,
} from './cache/options.ts'
import { type AddressGuard, type AddressGuardOptions, resolveAddressGuard } from './guard/address-guard.ts'
import { isTransportOwned } from './guard/framing-headers.ts'
import { redactUrl, redactUrlText } from './guard/redact.ts'
import { DEFAULT_SENSITIVE_HEADERS, resolveSensitiveHeaders } from './guard/sensitive-headers.ts'
import type { AfterResultHook, BeforeRequestHook, BeforeRetryHook, Hooks } from './hooks.ts'
import {
  DEFAULT_REDIRECT_POLICY,
  type RedirectOptions,
  type RedirectPolicy,
  resolveRedirectPolicy,
} from './redirect/options.ts'
import {
  DEFAULT_RETRY_POLICY,
  type RetryOptions,
  type RetryPolicy,
  resolveRetryPolicy,
} from './retry/options.ts'
import { isStandardSchema, type StandardSchemaV1 } from './schema.ts'
import { defaultRequestHeaders } from './transport/default-headers.ts'
import { type FetchFunction, fetchTransport } from './transport/fetch.ts'
import type { Transport } from './transport/types.ts'
import { checkBytes, checkObject, isToken, optionError, show } from './validate.ts'

/** How the body of a response becomes `data`. */
export type ResponseType = 'auto' | 'json' | 'text' | 'bytes' | 'stream' | 'none'

export type SearchParamsInit =
  | string
  | URLSearchParams
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string | number | boolean | null | undefined>>

/** Header values; in a record, `undefined` removes a header the client set by default. */
export type HeadersOption = HeadersInit | Readonly<Record<string, string | undefined>>

export interface TimeoutOptions {
  /** Longest one network attempt may take, from sending to the last byte of a buffered body. Default 10 000 ms. */
  readonly attempt?: number | false
  /** Longest the whole call may take: attempts, waits between them, and the body. Default 30 000 ms. */
  readonly total?: number | false
}

/** Options shared by the client and each request; a request's own override the client's. */
export interface SharedOptions {
  /** Resolves a relative request URL, as `new URL(input, baseUrl)` does, with a trailing slash added to its path. */
  readonly baseUrl?: string | URL
  readonly headers?: HeadersOption
  /** Query parameters set on the URL; a request's own replace the client's of the same name. */
  readonly searchParams?: SearchParamsInit
  /** Default `'auto'`: JSON for `application/json` and `+json`, text for `text/*`, bytes otherwise. */
  readonly responseType?: ResponseType
  /** `false` turns both deadlines off. */
  readonly timeout?: TimeoutOptions | false
  /**
   * The most bytes a body may decode to; past it the body is cancelled and the result is
   * `invalid-response`, `'body-too-large'` (a gzip bomb declares a few KiB). Default 64 MiB.
   */
  readonly maxBodySize?: number
  /** Which redirects are followed; a request's fields override the client's one by one. */
  readonly redirect?: RedirectOptions
  /** Which failures are retried and how; `false` turns retries off. */
  readonly retry?: RetryOptions | false
  /** Code of yours at the edges of the call; a request's run after the client's. */
  readonly hooks?: HookOptions
  /**
   * Header names that carry credentials, besides `authorization`, `proxy-authorization`,
   * `cookie`, `cookie2`, `x-api-key`, `api-key` and `x-auth-token`: dropped when a redirect
   * changes origin, kept by the cache only as a keyed hash, and sent from a client's `headers`
   * only to its `baseUrl` origin. A request's add to the client's; none can remove a default.
   */
  readonly sensitiveHeaders?: readonly string[]
}

/** Each hook may be one function or a list, run in order. */
export interface HookOptions {
  readonly beforeRequest?: BeforeRequestHook | readonly BeforeRequestHook[]
  readonly afterResult?: AfterResultHook | readonly AfterResultHook[]
  readonly beforeRetry?: BeforeRetryHook | readonly BeforeRetryHook[]
}

export interface ClientOptions extends SharedOptions {
  /** The fetch to send requests with. Default: the global `fetch`. */
  readonly fetch?: FetchFunction
  /**
   * What sends each request. Default: the fetch transport (`fetch` above). On Node,
   * `undiciTransport()` from `fetchkind/undici` is about twice as fast.
   */
  readonly transport?: Transport
  /** The HTTP cache: on by default, in memory; `false` turns it off for the client. */
  readonly cache?: CacheOptions | false
  /**
   * Refuse requests and redirects to loopback, private, link-local (cloud metadata), CGNAT,
   * multicast and reserved addresses, in any spelling (IPv4 inside IPv6 included), and to
   * localhost and metadata names: for services that fetch user-supplied URLs. `{ allow, deny }`
   * turns it on with exceptions (CIDR ranges, addresses, host names, `*.example`). Here the URL's
   * host is checked; `undiciTransport({ blockPrivateAddresses })` also checks every address DNS
   * gives. Default `false`.
   */
  readonly blockPrivateAddresses?: boolean | AddressGuardOptions
}

export interface RequestOptions extends SharedOptions {
  /** Default `'GET'`. Standard methods are upper-cased, whatever case they come in. */
  readonly method?: string
  /** A value to send as JSON; sets `content-type: application/json` unless a header says otherwise. */
  readonly json?: unknown
  readonly body?: BodyInit | null
  /** The caller's signal: aborting it ends the call with `kind: 'aborted'`. */
  readonly signal?: AbortSignal
  /**
   * `true` sends an `Idempotency-Key` (a random UUID) that stays the same across attempts, and so
   * lets a POST or PATCH be retried; a string sends that key.
   */
  readonly idempotencyKey?: boolean | string
  /** The Fetch cache mode for this request; `false` is `'no-store'`. Default: the client's `cache.mode`. */
  readonly cache?: CacheMode | false
  /**
   * Any Standard Schema validator (zod, valibot, arktype…): a success's body is checked against it
   * and `data` is its output, typed; a body it rejects is `invalid-response`, `'schema-mismatch'`.
   */
  readonly schema?: StandardSchemaV1
}

/** The options a stage reads, merged and checked. */
export interface ResolvedOptions {
  readonly responseType: ResponseType
  readonly timeout: { readonly attempt: number | false; readonly total: number | false }
  readonly redirect: RedirectPolicy
  readonly retry: RetryPolicy | false
  readonly cacheMode: CacheMode
  readonly hooks: Required<Hooks>
  readonly schema: StandardSchemaV1 | undefined
  /** Lower-cased, the defaults included. */
  readonly sensitiveHeaders: ReadonlySet<string>
  /** `null` when `blockPrivateAddresses` is off. */
  readonly addressGuard: AddressGuard | null
  readonly maxBodySize: number
  readonly transport: Transport
}

/** A client's options, checked once when the client is made. */
export interface ClientDefaults {
  readonly baseUrl: URL | undefined
  readonly headers: Headers
  readonly searchParams: URLSearchParams
  readonly responseType: ResponseType
  readonly timeout: ResolvedOptions['timeout']
  readonly redirect: RedirectPolicy
  readonly retry: RetryPolicy | false
  readonly cache: ClientCache | false
  readonly hooks: Required<Hooks>
  readonly sensitiveHeaders: ReadonlySet<string>
  readonly addressGuard: AddressGuard | null
  readonly maxBodySize: number
  readonly transport: Transport
}

/** Everything one call needs: where, how, and under which options. */
export interface PreparedCall {
  readonly url: URL
  readonly method: string
  readonly headers: Headers
  readonly body: BodyInit | null
  readonly signal: AbortSignal | undefined
  readonly options: ResolvedOptions
}

export const DEFAULT_TIMEOUT = { attempt: 10_000, total: 30_000 } as const

const RESPONSE_TYPES: readonly ResponseType[] = ['auto', 'json', 'text', 'bytes', 'stream', 'none']
/** setTimeout fires at once for delays past 2^31 - 1 ms. */
const MAX_TIMER = 2_147_483_647
const NORMALISED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'])
/** Methods fetch refuses to send. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

export function resolveClientOptions(options: ClientOptions = {}): ClientDefaults {
  checkObject(options, 'options')
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
  return {
    baseUrl: options.baseUrl === undefined ? undefined : toBaseUrl(options.baseUrl),
    headers: mergeHeaders(defaultRequestHeaders(), options.headers),
    searchParams: mergeSearchParams(new URLSearchParams(), options.searchParams),
    responseType: checkResponseType(options.responseType ?? 'auto'),
    timeout: resolveTimeout(options.timeout, DEFAULT_TIMEOUT),
    redirect: resolveRedirectPolicy(options.redirect, DEFAULT_REDIRECT_POLICY),
    retry: resolveRetryPolicy(options.retry, DEFAULT_RETRY_POLICY),
    cache: resolveClientCache(options.cache),
    hooks: resolveHooks(options.hooks, NO_HOOKS),
    sensitiveHeaders: resolveSensitiveHeaders(options.sensitiveHeaders, DEFAULT_SENSITIVE_HEADERS),
    addressGuard: resolveAddressGuard(options.blockPrivateAddresses),
    maxBodySize: checkBytes(options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE, 'maxBodySize'),
    transport: options.transport ?? fetchTransport(options.fetch),
  }
}

/** Merges a request's options over the client's and checks them; throws TypeError on a mistake. */
export function prepareCall(
  defaults: ClientDefaults,
  input: string | URL,
  init: RequestOptions = {},
): PreparedCall {
  checkObject(init, 'init')
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
  const responseType = checkResponseType(init.responseType ?? defaults.responseType)
  const sensitiveHeaders = resolveSensitiveHeaders(init.sensitiveHeaders, defaults.sensitiveHeaders)
  // A client's own credentials are for its baseUrl's origin: an absolute URL elsewhere, perhaps
  // user-supplied, does not get them (axios CVE-2025-27152). The request's own are its to send.
  const offBase = defaults.baseUrl !== undefined && url.origin !== defaults.baseUrl.origin
  // The client's headers serve as they are unless this request changes them: nothing downstream
  // writes to a request's headers (pipeline.ts), so sharing them is safe and saves a copy a call.
  const changesHeaders =
    offBase ||
    init.headers !== undefined ||
    (init.idempotencyKey !== undefined && init.idempotencyKey !== false) ||
    init.json !== undefined ||
    (init.body !== undefined && init.body !== null) ||
    responseType === 'json'
  const headers = changesHeaders ? new Headers(defaults.headers) : defaults.headers
  if (offBase) for (const name of sensitiveHeaders) headers.delete(name)
  mergeHeaders(headers, init.headers)
  setIdempotencyKey(headers, init.idempotencyKey)
  const body = requestBody(init, method, headers)
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
    options: {
      responseType,
      timeout: init.timeout === undefined ? defaults.timeout : resolveTimeout(init.timeout, defaults.timeout),
      redirect: resolveRedirectPolicy(init.redirect, defaults.redirect),
      retry: resolveRetryPolicy(init.retry, defaults.retry),
      cacheMode: resolveRequestCacheMode(init.cache, defaults.cache),
      hooks: resolveHooks(init.hooks, defaults.hooks),
      schema: checkSchema(init.schema, responseType),
      sensitiveHeaders,
      addressGuard: defaults.addressGuard,
      maxBodySize:
        init.maxBodySize === undefined ? defaults.maxBodySize : checkBytes(init.maxBodySize, 'maxBodySize'),
      transport: defaults.transport,
    },
  }
}

function toBaseUrl(value: unknown): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) throw optionError('baseUrl', 'a URL', value)
  const parsed = URL.parse(value)
  if (!parsed || !isHttp(parsed))
    throw optionError('baseUrl', 'an absolute http: or https: URL', redactUrlText(String(value)))
  refuseUserinfo(parsed, 'baseUrl')
  // 'https://api.example/v1' + 'users' should be /v1/users, not /users.
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/'
  return parsed
}

function resolveUrl(input: unknown, baseUrl: URL | undefined): URL {
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new TypeError(`fetchkind: the URL must be a string or a URL, got ${show(input)}`)
  }
  const url = URL.parse(input, baseUrl)
  if (!url) {
    const hint = baseUrl ? ` against baseUrl ${baseUrl.href}` : ' (a relative URL needs the baseUrl option)'
    throw new TypeError(`fetchkind: invalid URL ${show(redactUrlText(String(input)))}${hint}`)
  }
  if (!isHttp(url))
    throw new TypeError(`fetchkind: only http: and https: URLs can be fetched, got ${url.protocol}`)
  refuseUserinfo(url, 'the URL')
  return url
}

/**
 * fetch refuses a URL with credentials in it, and so does fetchkind: a password there ends up in
 * logs, traces and error messages. The error names neither the user nor the password.
 */
function refuseUserinfo(url: URL, what: string): void {
  if (url.username === '' && url.password === '') return
  throw new TypeError(
    `fetchkind: ${what} has credentials in it (${redactUrl(url).href}); send them in a header instead, such as { authorization: \`Basic \${btoa('user:password')}\` }`,
  )
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:'
}

function normaliseMethod(method: unknown): string {
  if (typeof method !== 'string' || !isToken(method))
    throw optionError('method', 'an HTTP method token', method)
  const upper = method.toUpperCase()
  if (FORBIDDEN_METHODS.has(upper)) throw optionError('method', 'a method fetch can send', method)
  return NORMALISED_METHODS.has(upper) ? upper : method
}

const DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024

function checkSchema(schema: unknown, responseType: ResponseType): StandardSchemaV1 | undefined {
  if (schema === undefined) return undefined
  if (!isStandardSchema(schema))
    throw optionError('schema', 'a Standard Schema validator (zod, valibot, arktype…)', schema)
  if (responseType === 'stream' || responseType === 'none') {
    throw new TypeError(
      `fetchkind: option "schema" checks a decoded body; responseType '${responseType}' has none`,
    )
  }
  return schema
}

const NO_HOOKS: Required<Hooks> = { beforeRequest: [], afterResult: [], beforeRetry: [] }

/** The client's hooks, then the request's. */
function resolveHooks(options: HookOptions | undefined, base: Required<Hooks>): Required<Hooks> {
  if (options === undefined) return base
  checkObject(options, 'hooks')
  const list = <F>(
    value: F | readonly F[] | undefined,
    name: keyof Hooks,
    inherited: readonly F[],
  ): readonly F[] => {
    if (value === undefined) return inherited
    const added = Array.isArray(value) ? (value as readonly F[]) : [value as F]
    if (!added.every((hook) => typeof hook === 'function'))
      throw optionError(`hooks.${name}`, 'a function or a list of them', value)
    return [...inherited, ...added]
  }
  return {
    beforeRequest: list(options.beforeRequest, 'beforeRequest', base.beforeRequest),
    afterResult: list(options.afterResult, 'afterResult', base.afterResult),
    beforeRetry: list(options.beforeRetry, 'beforeRetry', base.beforeRetry),
  }
}

export function mergeHeaders(headers: Headers, extra: HeadersOption | undefined): Headers {
  if (extra === undefined) return headers
  checkObject(extra, 'headers')
  const entries =
    extra instanceof Headers || Array.isArray(extra)
      ? [...new Headers(extra as HeadersInit)]
      : Object.entries(extra)
  for (const [name, value] of entries) {
    if (value === undefined) {
      headers.delete(name)
      continue
    }
    if (isTransportOwned(name)) {
      throw new TypeError(
        `fetchkind: option "headers" sets ${show(name.toLowerCase())}, which the transport sets itself from the URL and the body`,
      )
    }
    try {
      headers.set(name, value)
    } catch (error) {
      // Headers rejects CR, LF and NUL in values and non-token names: never let them reach the wire.
      throw new TypeError(
        `fetchkind: option "headers" has an invalid header ${show(name)}: ${(error as Error).message}`,
      )
    }
  }
  return headers
}

function mergeSearchParams(params: URLSearchParams, extra: SearchParamsInit | undefined): URLSearchParams {
  if (extra === undefined) return params
  if (typeof extra === 'string' || extra instanceof URLSearchParams || Array.isArray(extra)) {
    const incoming = new URLSearchParams(extra as string | string[][])
    for (const name of new Set(incoming.keys())) params.delete(name)
    for (const [name, value] of incoming) params.append(name, value)
    return params
  }
  checkObject(extra, 'searchParams')
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) continue
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw optionError(`searchParams.${name}`, 'a string, number, boolean or null', value)
    }
    params.set(name, String(value))
  }
  return params
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

function requestBody(init: RequestOptions, method: string, headers: Headers): BodyInit | null {
  const hasJson = init.json !== undefined
  const hasBody = init.body !== undefined && init.body !== null
  if (hasJson && hasBody) throw new TypeError('fetchkind: options "json" and "body" cannot both be set')
  if ((hasJson || hasBody) && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(
      `fetchkind: a ${method} request cannot have a body (option "${hasJson ? 'json' : 'body'}")`,
    )
  }
  if (!hasJson) return init.body ?? null
  let text: string | undefined
  try {
    text = JSON.stringify(init.json)
  } catch (error) {
    throw new TypeError(`fetchkind: option "json" cannot be serialised: ${(error as Error).message}`)
  }
  if (text === undefined) throw optionError('json', 'a JSON-serialisable value', init.json)
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return text
}

function checkResponseType(value: unknown): ResponseType {
  if (!RESPONSE_TYPES.includes(value as ResponseType)) {
    throw optionError('responseType', RESPONSE_TYPES.map((type) => `'${type}'`).join(', '), value)
  }
  return value as ResponseType
}

function resolveTimeout(
  value: TimeoutOptions | false | undefined,
  fallback: ResolvedOptions['timeout'],
): ResolvedOptions['timeout'] {
  if (value === undefined) return fallback
  if (value === false) return { attempt: false, total: false }
  checkObject(value, 'timeout')
  return {
    attempt: checkDuration(value.attempt ?? fallback.attempt, 'timeout.attempt'),
    total: checkDuration(value.total ?? fallback.total, 'timeout.total'),
  }
}

function checkDuration(value: unknown, option: string): number | false {
  if (value === false) return false
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER) {
    throw optionError(option, `a number of milliseconds from 1 to ${MAX_TIMER}, or false`, value)
  }
  return value
}
