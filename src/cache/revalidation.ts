/**
 * Validation (RFC 9111 §4.3): the conditional request a stored response makes, whether a 304
 * answers it, the stored head a 304 freshens, and the head a stored response is served with.
 * Pure.
 */

import { WeakCache } from '../ground/weak-cache.ts'
import { MAX_DELTA_SECONDS } from '../http/cache-control.ts'
import { formatHttpDate, parseHttpDate } from '../http/date.ts'
import { servedFieldHeaders } from '../http/field-headers.ts'
import { currentAge } from './freshness.ts'
import { type StoredHead, storedFieldFilter } from './head.ts'

/**
 * Fields a 304 never changes in the stored head (§3.2): Content-Length describes the stored
 * body, not the 304's; Content-Encoding, the coding the body was decoded from, which the stored
 * bytes no longer carry (§3.2 lets a cache that stores processed content keep such fields).
 */
const NOT_UPDATED = new Set(['content-length', 'content-encoding'])

/** §4.3.1: the stored response's validators as request preconditions. */
export function validatorsOf(head: StoredHead): Record<string, string> {
  const validators: Record<string, string> = {}
  const { etag, 'last-modified': lastModified } = head.headers
  if (etag !== undefined) validators['if-none-match'] = etag
  if (lastModified !== undefined) validators['if-modified-since'] = lastModified
  return validators
}

/**
 * §4.3.4: whether a 304 to the cache's own conditional request selects the response it
 * revalidated. A strong ETag must be the stored one; a weak one, the same under weak
 * comparison; without an ETag, a Last-Modified must match. A 304 with neither answers the
 * request the cache made, for the one response it asked about, and selects it, as every browser
 * and undici do.
 */
export function notModifiedSelects(head: StoredHead, notModified: Headers): boolean {
  const etag = notModified.get('etag')
  const stored = head.headers.etag
  if (etag !== null) {
    if (stored === undefined) return false
    return etag.startsWith('W/') ? opaque(etag) === opaque(stored) : etag === stored
  }
  const lastModified = notModified.get('last-modified')
  if (lastModified !== null) return lastModified === head.headers['last-modified']
  return true
}

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g

function opaque(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag
}

/**
 * §4.3.4 and §3.2: the stored head with the 304's fields added, replacing those of the same
 * name, but for the fields a cache never stores and those above; timed as the 304 was, so that
 * its `Date` and `Age` restart the response's age. A 304 without `Date` is given the time it
 * arrived, not left with the stored one, which would make the freshened response old at once.
 */
export function freshenedHead(
  head: StoredHead,
  notModified: Headers,
  requestTime: number,
  responseTime: number,
): StoredHead {
  const keep = storedFieldFilter(notModified)
  const headers: Record<string, string> = { ...head.headers }
  if (!notModified.has('date')) headers.date = formatHttpDate(responseTime)
  if (!notModified.has('age')) delete headers.age
  for (const [name, value] of notModified) if (keep(name) && !NOT_UPDATED.has(name)) headers[name] = value
  return { ...head, headers, requestTime, responseTime }
}

/**
 * §4: a stored response's fields as served: as stored (its `Date` too), with an `Age` the
 * cache computes (§5.1: a cache serving a stored response sends one).
 */
export function servedHeaders(head: StoredHead, now: number): Headers {
  const age = String(Math.min(Math.floor(currentAge(head, now)), MAX_DELTA_SECONDS))
  return servedFieldHeaders(head.headers, { age })
}

/**
 * §4.3.2: whether the caller's own preconditions hold for a stored response, so that a fresh
 * one answers them with a 304. If-None-Match (weak comparison), or without it
 * If-Modified-Since against the stored Last-Modified.
 */
export function callerValidatorsMatch(head: StoredHead, request: Headers): boolean {
  const ifNoneMatch = request.get('if-none-match')
  if (ifNoneMatch !== null) {
    const stored = head.headers.etag
    if (stored === undefined) return false
    if (ifNoneMatch.trim() === '*') return true
    // Entity-tags are quoted and may hold commas: matched whole, not split on commas.
    return [...ifNoneMatch.matchAll(ENTITY_TAG)].some(([tag]) => opaque(tag) === opaque(stored))
  }
  const since = parseHttpDate(request.get('if-modified-since') ?? '')
  const lastModified = parseHttpDate(head.headers['last-modified'] ?? '')
  return since !== null && lastModified !== null && lastModified <= since
}

/** The request's headers with the stored response's validators added (If-None-Match, If-Modified-Since). */
export function withValidators(requestHeaders: Headers, head: StoredHead): Headers {
  const { etag, 'last-modified': lastModified } = head.headers
  // A client revalidating one entry sends the same headers each time: made once, and shared, as
  // nothing writes to a request's headers once made (call/stage.ts).
  const validators = `${etag ?? ''}\n${lastModified ?? ''}`
  const kept = LAST_MADE.get(requestHeaders)
  if (kept?.validators === validators) return kept.headers
  const headers = new Headers(requestHeaders)
  for (const [name, value] of Object.entries(validatorsOf(head))) headers.set(name, value)
  LAST_MADE.set(requestHeaders, { validators, headers })
  return headers
}

/** The request headers last made with validators, per request headers sent. */
const LAST_MADE = new WeakCache<Headers, { readonly validators: string; readonly headers: Headers }>()
