/**
 * Between fetchkind's requests and http-cache-semantics: the plain objects the library reads,
 * the entries the store keeps, and the checks the library leaves to its caller (which
 * credentials an entry belongs to, and which Vary'd request headers it was made for).
 */
import CachePolicy from 'http-cache-semantics'
import type { HopRequest, ResponseOutcome } from '../pipeline.ts'
import type { CacheEntry } from './store.ts'

/** A private cache (RFC 9111 §1): responses marked private are stored, s-maxage is ignored. */
const POLICY_OPTIONS: CachePolicy.Options = { shared: false }

export function cacheKey(url: URL): string {
  const key = new URL(url)
  key.hash = ''
  return key.href
}

/** The request as http-cache-semantics reads it; the host header is what it matches entries by. */
export function policyRequest(
  request: Pick<HopRequest, 'url' | 'method' | 'headers'>,
  method = request.method,
) {
  const headers: Record<string, string> = Object.fromEntries(request.headers)
  headers.host = request.url.host
  return { url: request.url.pathname + request.url.search, method, headers }
}

export function policyResponse(outcome: Pick<ResponseOutcome, 'status' | 'headers'>) {
  return { status: outcome.status, headers: Object.fromEntries(outcome.headers) }
}

export function newPolicy(request: HopRequest, outcome: ResponseOutcome): CachePolicy {
  return new CachePolicy(policyRequest(request), policyResponse(outcome), POLICY_OPTIONS)
}

/**
 * Whose response this is: a hash of Authorization and Cookie, so that one client carrying many
 * users' credentials never serves one user's response to another. The credentials themselves
 * are never stored.
 */
export async function credentialsOf(headers: Headers): Promise<string> {
  const authorization = headers.get('authorization')
  const cookie = headers.get('cookie')
  if (authorization === null && cookie === null) return ''
  const bytes = new TextEncoder().encode(`${authorization ?? ''}\n${cookie ?? ''}`)
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** The request header values a response's Vary names; `null` for `Vary: *`, which nothing matches. */
export function varyValues(vary: string | null, headers: Headers): Record<string, string | null> | null {
  const values: Record<string, string | null> = {}
  for (const name of (vary ?? '').split(',')) {
    const field = name.trim().toLowerCase()
    if (field === '') continue
    if (field === '*') return null
    values[field] = headers.get(field)
  }
  return values
}

/** Whether a request may be served an entry: same credentials, same Vary'd header values. */
export function entryMatches(entry: CacheEntry, headers: Headers, credentials: string): boolean {
  if (entry.credentials !== credentials) return false
  return Object.entries(entry.vary).every(([name, value]) => headers.get(name) === value)
}

export function toEntry(
  policy: CachePolicy,
  outcome: Pick<ResponseOutcome, 'status' | 'statusText'>,
  body: Uint8Array,
  vary: Record<string, string | null>,
  credentials: string,
): CacheEntry {
  const serialised = policy.toObject()
  const heads = JSON.stringify(serialised).length + JSON.stringify(vary).length + credentials.length
  return {
    policy: serialised as unknown as CacheEntry['policy'],
    status: outcome.status,
    statusText: outcome.statusText,
    body,
    vary,
    credentials,
    size: body.byteLength + heads,
  }
}
