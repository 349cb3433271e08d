/**
 * Whether a private cache may store a response (RFC 9111 §3, §5.2.2): pure, from the request's
 * method and directives and the response's status and directives.
 */
import type { Directives } from '../http/cache-control.ts'
import { HEURISTICALLY_CACHEABLE } from './freshness.ts'

/**
 * The statuses whose caching requirements this cache implements (those RFC 9110 defines): the
 * ones `must-understand` lets it store despite `no-store` (§5.2.2.3). 206 is not among them:
 * this cache neither stores nor combines partial content.
 */
const UNDERSTOOD = new Set([
  200, 201, 202, 203, 204, 205, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406,
  407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 500, 501, 502, 503, 504, 505,
])

export interface Exchanged {
  readonly method: string
  readonly status: number
  /** The response's Cache-Control. */
  readonly response: Directives
  /** The request's Cache-Control. */
  readonly request: Directives
  /** Whether the response has an `Expires` (valid or not: §3 asks only that it be there). */
  readonly hasExpires: boolean
}

export function mayStore({ method, status, response, request, hasExpires }: Exchanged): boolean {
  if (method !== 'GET' || status < 200 || status === 206 || status === 304) return false
  if (request.has('no-store')) return false
  // §5.2.2.3: must-understand stands in for no-store with a status this cache understands, and
  // forbids storing any other.
  if (response.has('must-understand')) {
    if (!UNDERSTOOD.has(status)) return false
  } else if (response.has('no-store')) return false
  return hasExpires || hasExplicitPermission(status, response)
}

/**
 * §3: some word that the response may be reused — `public`, `private` (this cache is private),
 * `max-age`, or a heuristically cacheable status (`Expires` is the other).
 */
function hasExplicitPermission(status: number, response: Directives): boolean {
  return (
    response.has('public') ||
    response.has('private') ||
    response.has('max-age') ||
    HEURISTICALLY_CACHEABLE.has(status)
  )
}

/**
 * A response can only be worth storing with explicit freshness or a validator; without them the
 * heuristics have nothing to work from (RFC 9111 §4.2.2 needs Last-Modified).
 */
export function mayBeWorthStoring(headers: Headers): boolean {
  return (
    headers.has('cache-control') ||
    headers.has('expires') ||
    headers.has('etag') ||
    headers.has('last-modified')
  )
}
