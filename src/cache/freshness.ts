/**
 * Freshness and age (RFC 9111 §4.2) of a stored response, as a private cache computes them:
 * `s-maxage` is a shared cache's and is not read. All times in seconds but the stored ones.
 */

import { WeakCache } from '../ground/weak-cache.ts'
import { type Directives, deltaSeconds, parseAge, parseCacheControl } from '../http/cache-control.ts'
import { parseHttpDate } from '../http/date.ts'
import type { StoredHead } from './head.ts'

/**
 * RFC 9110 §15.1: the statuses "heuristically cacheable", whose responses may be given a
 * freshness lifetime without one of their own.
 */
export const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501])

/** §4.2.2's "typical setting": a tenth of the time since the last modification. */
const HEURISTIC_FRACTION = 0.1

/** Freshness (§4.2.1) and age (§4.2.3) of one stored response at one moment. */
export interface Freshness {
  /** How long the response is fresh for, in seconds from its generation. */
  readonly lifetime: number
  /** Its current age, in seconds. */
  readonly age: number
  /** The response's own Cache-Control. */
  readonly directives: Directives
}

/**
 * What a stored head's fields say, parsed once: a stored head is read on every hit, and never
 * changes. `head` is the stored response of `status`: a head is only ever stored with one status.
 */
interface Parsed {
  readonly directives: Directives
  readonly lifetime: number
  /** §4.2.3's corrected_initial_age: the age the response had when it arrived, in seconds. */
  readonly initialAge: number
}

const parsed = new WeakCache<StoredHead, Parsed>()

function parsedOf(head: StoredHead, status: number): Parsed {
  let found = parsed.get(head)
  if (!found) {
    const directives = parseCacheControl(head.headers['cache-control'] ?? null)
    const lifetime = freshnessLifetime(head, status, directives)
    found = { directives, lifetime, initialAge: initialAge(head) }
    parsed.set(head, found)
  }
  return found
}

export function freshnessOf(head: StoredHead, status: number, now: number): Freshness {
  const { directives, lifetime, initialAge } = parsedOf(head, status)
  return { lifetime, age: initialAge + residentTime(head, now), directives }
}

/**
 * §4.2.1: `max-age`, else `Expires` less `Date`, else a heuristic. A `max-age` that is no
 * delta-seconds (`3600.0`), or an `Expires` that is no HTTP-date, makes the response stale
 * rather than falling through to the next rule (§4.2.1: invalid freshness information is best
 * treated as stale; §5.3: an invalid Expires is in the past).
 */
export function freshnessLifetime(head: StoredHead, status: number, directives: Directives): number {
  if (directives.has('max-age')) return deltaSeconds(directives.get('max-age')) ?? 0
  const date = generatedAt(head)
  const expires = head.headers.expires
  if (expires !== undefined) {
    const at = parseHttpDate(expires)
    return at === null ? 0 : Math.max(0, (at - date) / 1000)
  }
  return heuristicLifetime(head, status, directives, date)
}

/**
 * §4.2.2: without explicit freshness, a heuristically cacheable status (or a `public` response)
 * with a `Last-Modified` is fresh for a tenth of the time since that modification.
 */
function heuristicLifetime(head: StoredHead, status: number, directives: Directives, date: number): number {
  if (!HEURISTICALLY_CACHEABLE.has(status) && !directives.has('public')) return 0
  const lastModified = parseHttpDate(head.headers['last-modified'] ?? '')
  if (lastModified === null || lastModified >= date) return 0
  return ((date - lastModified) / 1000) * HEURISTIC_FRACTION
}

/**
 * §4.2.3: the age the response had when it arrived (its `Age`, corrected for the time the
 * request took, or the difference between its `Date` and its arrival, whichever is more), plus
 * the time it has been held since.
 */
export function currentAge(head: StoredHead, now: number): number {
  return (parsed.get(head)?.initialAge ?? initialAge(head)) + residentTime(head, now)
}

function initialAge(head: StoredHead): number {
  const apparentAge = Math.max(0, head.responseTime - generatedAt(head)) / 1000
  const responseDelay = (head.responseTime - head.requestTime) / 1000
  const correctedAge = parseAge(head.headers.age ?? null) + responseDelay
  return Math.max(apparentAge, correctedAge)
}

function residentTime(head: StoredHead, now: number): number {
  return Math.max(0, now - head.responseTime) / 1000
}

/** §4.2.3's date_value: the response's `Date`, or when it arrived if it has none that parses. */
function generatedAt(head: StoredHead): number {
  return parseHttpDate(head.headers.date ?? '') ?? head.responseTime
}

/** How long past its lifetime the response is, in seconds (0 while fresh). */
export function staleness({ lifetime, age }: Freshness): number {
  return Math.max(0, age - lifetime)
}

/**
 * How long, in seconds, the response may still be served without its origin's word: what
 * freshness it has left, and then its stale-while-revalidate or stale-if-error window. A store
 * that expires entries keeps one at least this long.
 */
export function timeToLive(freshness: Freshness): number {
  const windows = ['stale-while-revalidate', 'stale-if-error'].map(
    (name) => deltaSeconds(freshness.directives.get(name)) ?? 0,
  )
  return Math.max(0, freshness.lifetime - freshness.age) + Math.max(...windows)
}
