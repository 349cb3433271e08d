/**
 * The redirect decision, pure: given the request that got a 3xx and the policy, either the next
 * request (URL, method, body, headers) or the reason to stop. Follows the Fetch standard's
 * "HTTP-redirect fetch" where it speaks, and is stricter where a service client should be.
 */

import { parseLocation } from '../http/location.ts'
import type { RedirectReason } from '../result/types.ts'
import type { RequestHead } from '../transport/types.ts'
import { crossesOrigin, hopRefusal } from './next-hop.ts'
import type { RedirectPolicy } from './options.ts'

/** Fetch's request-body-header names: they describe a body, so they go when the body does. */
const BODY_HEADERS = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
  'content-length',
]

/** What a hop is decided by: the redirect policy, and which headers are credentials. */
export interface RedirectRules extends RedirectPolicy {
  /** Dropped when the origin changes. Lower-cased. */
  readonly sensitiveHeaders: ReadonlySet<string>
}

export type RedirectDecision =
  | { readonly follow: true; readonly next: RequestHead }
  | { readonly follow: false; readonly reason: RedirectReason }

/**
 * Decides one hop. `followed` counts the redirects already followed in this call; `visited`
 * holds a `visitKey` of every request already sent in it.
 */
export function decideRedirect(
  request: RequestHead,
  status: number,
  location: string | null,
  policy: RedirectRules,
  followed: number,
  visited: ReadonlySet<string>,
): RedirectDecision {
  const refuse = (reason: RedirectReason): RedirectDecision => ({ follow: false, reason })
  if (policy.follow === 'never') return refuse('policy')
  const to = parseLocation(location, request.url)
  if (to === null) return refuse('invalid-location')
  const refusal = hopRefusal(request.url, to, policy)
  if (refusal) return refuse(refusal)
  if (policy.follow === 'same-origin' && to.origin !== request.url.origin) return refuse('cross-origin')

  const { method, dropsBody } = methodAfter(status, request.method)
  const body = dropsBody ? null : request.body
  if (body instanceof ReadableStream) return refuse('body-not-replayable')
  // A loop is caught the first time it closes, before `max` is spent on it.
  if (visited.has(visitKey(method, to))) return refuse('loop')
  if (followed >= policy.max) return refuse('max-redirects')

  const dropped = [
    ...(dropsBody ? BODY_HEADERS : []),
    ...(crossesOrigin(request.url, to) ? policy.sensitiveHeaders : []),
  ]
  return { follow: true, next: { url: to, method, headers: without(request.headers, dropped), body } }
}

/**
 * `headers` less `names`: a copy when any of them is there, else the same object, which nothing
 * downstream writes to (call/stage.ts) and whose fields the transport and the cache have read
 * once already — most hops keep every header.
 */
function without(headers: Headers, names: readonly string[]): Headers {
  if (!names.some((name) => headers.has(name))) return headers
  const copy = new Headers(headers)
  for (const name of names) copy.delete(name)
  return copy
}

/** Fetch: 303 turns any method but HEAD into GET; 301 and 302 turn POST into GET; 307 and 308 keep it. */
function methodAfter(status: number, method: string): { method: string; dropsBody: boolean } {
  if (
    (status === 303 && method !== 'GET' && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  ) {
    return { method: 'GET', dropsBody: true }
  }
  return { method, dropsBody: false }
}

export function visitKey(method: string, url: URL): string {
  return `${method} ${url.href}`
}
