/**
 * Whether a stored response may answer a request (RFC 9111 §4.2, §4.2.4, §5.2; RFC 5861): pure,
 * from the response's freshness and the request's own Cache-Control. The stage acts on it.
 */
import { type Directives, deltaSeconds, parseCacheControl } from '../http/cache-control.ts'
import { type Freshness, staleness } from './freshness.ts'

/**
 * - `fresh`: served as it is.
 * - `stale-while-revalidate`: served as it is while one request refreshes it (RFC 5861 §3).
 * - `revalidate`: only after the origin confirms it (a conditional request).
 */
export type Reuse = 'fresh' | 'stale-while-revalidate' | 'revalidate'

/**
 * The request's Cache-Control, or, without one, its `Pragma: no-cache` read as `no-cache`
 * (§5.4: a cache honours Pragma only when the request has no Cache-Control).
 */
export function requestDirectives(headers: Headers): Directives {
  const cacheControl = headers.get('cache-control')
  if (cacheControl !== null) return parseCacheControl(cacheControl)
  const pragma = headers.get('pragma')
  return pragma !== null && /(^|[\s,])no-cache\s*(,|$)/i.test(pragma) ? PRAGMA_NO_CACHE : NONE
}

const PRAGMA_NO_CACHE: Directives = new Map([['no-cache', true]])
const NONE: Directives = new Map()

export function reuseOf(freshness: Freshness, request: Directives): Reuse {
  const response = freshness.directives
  // §5.2.2.4 and §5.2.1.4: no-cache, from either side, means ask the origin first. (`no-cache`
  // naming fields is taken as plain no-cache, which §5.2.2.4 allows.)
  if (response.has('no-cache') || request.has('no-cache')) return 'revalidate'
  const { lifetime, age } = freshness
  // §5.2.1.1 and §5.2.1.3: the caller's own bounds on age and on what freshness remains.
  const maxAge = deltaSeconds(request.get('max-age'))
  if (maxAge !== null && age > maxAge) return 'revalidate'
  const minFresh = deltaSeconds(request.get('min-fresh'))
  if (minFresh !== null && lifetime - age < minFresh) return 'revalidate'
  if (lifetime > age) return 'fresh'
  // Stale from here on. §5.2.2.2: must-revalidate forbids serving it without the origin's word.
  if (response.has('must-revalidate')) return 'revalidate'
  if (request.has('max-stale') && withinMaxStale(request.get('max-stale'), freshness)) return 'fresh'
  const window = deltaSeconds(response.get('stale-while-revalidate'))
  if (window !== null && staleness(freshness) <= window) return 'stale-while-revalidate'
  return 'revalidate'
}

/** §5.2.1.2: `max-stale` alone accepts any staleness; with an argument, that much. */
function withinMaxStale(argument: string | true | undefined, freshness: Freshness): boolean {
  if (argument === true) return true
  const limit = deltaSeconds(argument)
  return limit !== null && staleness(freshness) <= limit
}

/**
 * RFC 5861 §4: whether a stale response may answer in place of an error, within the
 * `stale-if-error` window the response or the request gives. Never past must-revalidate or
 * no-cache (RFC 9111 §4.2.4: those forbid serving stale).
 */
export function staleIfErrorAllows(freshness: Freshness, request: Directives): boolean {
  const response = freshness.directives
  if (response.has('must-revalidate') || response.has('no-cache')) return false
  const windows = [response.get('stale-if-error'), request.get('stale-if-error')]
    .map(deltaSeconds)
    .filter((window) => window !== null)
  return windows.some((window) => staleness(freshness) <= window)
}
