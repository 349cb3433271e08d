/**
 * The drop-in: `client.toFetch()` gives a function with fetch's signature and behaviour, with the
 * policies the client was given underneath (fetch-defaults.ts), for SDKs that take a custom fetch.
 */
import { CACHE_MODES, type CacheMode } from '../cache/options.ts'
import { isTransportOwned } from '../guard/framing-headers.ts'
import type { RequestInfo } from '../http/fetch-types.ts'
import { AS_FETCH } from '../options/resolved.ts'
import type { BeforeRedirectHook, RequestOptions } from '../options/types.ts'
import type { RedirectOptions } from '../redirect/options.ts'
import { NULL_BODY_STATUSES } from '../result/status.ts'
import type { Result } from '../result/types.ts'
import type { Dispatcher } from '../transport/types.ts'
import { matchesIntegrity } from './integrity.ts'
import { policyFromHeader, refererFor } from './referrer.ts'
import { requestBodyOf } from './request-object-body.ts'

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

type Send = (input: URL, init: RequestOptions) => Promise<Result>

/**
 * The redirect refusals fetch itself would end with a network error in `'follow'` mode; the rest
 * (the policy's own: cross-origin, downgrade, shouldFollow) return the 3xx, as documented.
 */
const FETCH_REJECTS: ReadonlySet<string> = new Set([
  'max-redirects',
  'loop',
  'invalid-location',
  'protocol',
  'credentials-in-location',
  'body-not-replayable',
])

/**
 * The cache mode a Request or init names, as the call's: `'default'` (every Request's, unless it
 * says otherwise) leaves the choice to the client, which for toFetch is fetch's (fetch-defaults.ts).
 */
function cacheModeOf(mode: RequestInit['cache']): { cache?: CacheMode } {
  return mode !== undefined && mode !== 'default' && CACHE_MODES.includes(mode as CacheMode)
    ? { cache: mode as CacheMode }
    : {}
}

/** A fetch that sends through `send` (a client's request) and answers as fetch would. */
export function toFetch(send: Send): FetchLike {
  const fetch: FetchLike = async (input, init = {}) => {
    const request = input instanceof Request ? input : null
    const url = parseUrl(request ? request.url : String(input instanceof URL ? input.href : input))
    const method = init.method ?? request?.method ?? 'GET'
    // As the Request constructor does: init's headers replace the Request's, they do not add to them.
    const headers = new Headers(init.headers !== undefined ? init.headers : request?.headers)
    // Framing and connection headers are the transport's; a browser's fetch ignores a caller's as
    // forbidden, and SDKs often send Content-Length: dropped here rather than refused.
    for (const name of [...headers.keys()]) if (isTransportOwned(name)) headers.delete(name)
    // A Request's body, read as fetch would send it: a short one whole, a long one as a stream.
    const body =
      init.body !== undefined
        ? init.body
        : request && request.body !== null
          ? await requestBodyOf(request.body)
          : null
    const redirect = init.redirect ?? request?.redirect ?? 'follow'
    const signal = init.signal ?? request?.signal ?? undefined
    // Node's fetch takes undici's dispatcher in init (a proxy agent, a mock); so does the call.
    const { dispatcher } = init as { dispatcher?: Dispatcher }
    const integrity = init.integrity ?? request?.integrity ?? ''
    const referrer = init.referrer ?? request?.referrer
    const referrerPolicy = init.referrerPolicy ?? request?.referrerPolicy
    const referer = refererFor(referrer, referrerPolicy, url)
    if (referer !== null) headers.set('referer', referer)
    const options: RequestOptions & { [AS_FETCH]: true } = {
      [AS_FETCH]: true,
      // fetch answers every status with a Response: a client's throwOn is for its own calls.
      throwOn: [],
      method,
      headers,
      // A body checked against integrity metadata is read whole first, as fetch reads it.
      responseType: integrity === '' ? 'stream' : 'bytes',
      ...(body === null ? {} : { body }),
      ...(referrer ? { hooks: { beforeRedirect: refererPerHop(referrer, referrerPolicy) } } : {}),
      ...(signal ? { signal } : {}),
      ...(dispatcher === undefined ? {} : { dispatcher }),
      ...(redirect === 'follow' ? {} : { redirect: { follow: 'never' } satisfies RedirectOptions }),
      ...cacheModeOf(init.cache ?? request?.cache),
    }
    const result = await send(url, options)
    if (integrity !== '' && 'data' in result && result.data instanceof Uint8Array) {
      if (!matchesIntegrity(result.data, integrity)) {
        throw new TypeError('fetch failed', { cause: new Error('the body does not match init.integrity') })
      }
    }
    return toResponse(result, redirect)
  }
  return Object.defineProperty(fetch, 'name', { value: 'fetch' })
}

/**
 * Fetch §4.4: each hop sends the Referer its URL and the policy call for, a redirect's
 * Referrer-Policy header changing the policy for the hops after it.
 */
function refererPerHop(referrer: string, policy: RequestInit['referrerPolicy']): BeforeRedirectHook {
  let current = policy
  return ({ request: next, headers }) => {
    current =
      (policyFromHeader(headers.get('referrer-policy')) as RequestInit['referrerPolicy'] | null) ?? current
    const referer = refererFor(referrer, current, next.url)
    if (referer === null) next.headers.delete('referer')
    else next.headers.set('referer', referer)
  }
}

/**
 * Where undici's `setGlobalOrigin()` keeps the base URL that Node's fetch resolves a relative URL
 * against (a browser's is its document's).
 */
const GLOBAL_ORIGIN = Symbol.for('undici.globalOrigin.1')

/** The URL fetch would request: relative to the global origin if one is set; fetch's TypeError if none parses. */
function parseUrl(href: string): URL {
  const base = (globalThis as { [GLOBAL_ORIGIN]?: URL | string })[GLOBAL_ORIGIN]
  try {
    return new URL(href, base)
  } catch (error) {
    throw new TypeError(`Failed to parse URL from ${href}`, { cause: error })
  }
}

/**
 * The error fetch rejects with for a network failure: TypeError('fetch failed') whose `cause` is
 * the failure itself (the system error, with its `code`). The fetch transport's error is already
 * such a TypeError: its cause is taken, not the TypeError wrapped once more.
 */
function fetchFailed(error: unknown): TypeError {
  const cause = error instanceof TypeError && error.message === 'fetch failed' ? error.cause : error
  return new TypeError('fetch failed', { cause })
}

/** A result as fetch would have answered it: a Response, or the rejection fetch would give. */
function toResponse(result: Result, redirect: NonNullable<RequestInit['redirect']>): Response {
  switch (result.kind) {
    case 'network-error':
      throw fetchFailed(result.error)
    case 'timeout':
      // The caller's own AbortSignal.timeout() rejects with its own reason, as fetch's does.
      if (result.phase === 'signal') throw result.reason
      throw new DOMException(
        result.inherited
          ? `The inherited deadline (${result.limit} ms left) passed`
          : `The ${result.phase} deadline of ${result.limit} ms passed`,
        'TimeoutError',
      )
    case 'aborted':
      throw result.reason
    case 'hook-error':
      throw result.error
    case 'refused':
      // Nothing was sent: to fetch's caller, a network failure that says why.
      throw fetchFailed(
        Object.assign(new Error(`refused before sending: ${result.reason}`), { code: result.reason }),
      )
    case 'invalid-response':
      throw fetchFailed(result.error ?? new Error(`invalid response: ${result.reason}`))
    case 'informational':
      throw new TypeError(`fetch failed: a ${result.status} cannot be a final response`)
    case 'client-error':
      // Fetch §4.6 step 15: with no user to ask for proxy credentials, a 407 is a network error
      // (the fetch transport never sees one: fetch has rejected already).
      if (result.status === 407) throw letGo(result, fetchFailed(new Error('proxy authentication required')))
      break
    case 'redirect':
      if (redirect === 'error') throw refusedRedirect(result, 'unexpected redirect')
      if (redirect === 'follow' && FETCH_REJECTS.has(result.reason)) {
        throw refusedRedirect(result, `redirect not followed: ${result.reason}`)
      }
      break
  }
  // The Response constructor insists on no body for these.
  const body =
    'data' in result && !NULL_BODY_STATUSES.has(result.status)
      ? (result.data as ReadableStream | Uint8Array<ArrayBuffer> | null)
      : null
  const response = new Response(body, {
    status: result.status,
    statusText: result.statusText,
    headers: result.headers,
  })
  return withOrigin(response, result.meta.request.url, result.meta.redirects.length > 0)
}

/** fetch's rejection of a redirect (its message as undici words it). */
function refusedRedirect(result: Result, message: string): TypeError {
  return letGo(result, new TypeError('fetch failed', { cause: new Error(message) }))
}

/** `error`, once the body of the response it replaces is let go. */
function letGo(result: Result, error: TypeError): TypeError {
  if ('data' in result && result.data instanceof ReadableStream) result.data.cancel().catch(() => {})
  return error
}

/**
 * A constructed Response has no URL; fetch's has the final one, and says whether it was
 * redirected — and so do its clones.
 */
function withOrigin(response: Response, url: string, redirected: boolean): Response {
  const clone = response.clone.bind(response)
  return Object.defineProperties(response, {
    url: { value: url },
    redirected: { value: redirected },
    // fetch's response to a same-origin request (no CORS in a service) is 'basic'.
    type: { value: 'basic' },
    clone: { value: () => withOrigin(clone(), url, redirected) },
  })
}
