/**
 * Between fetchkind's requests and http-cache-semantics: the plain objects the library reads,
 * the entries the store keeps, and the checks the library leaves to its caller (which
 * credentials an entry belongs to, and which Vary'd request headers it was made for).
 *
 * Nothing secret reaches an entry: the library is given no sensitive request header (its stored
 * request is what it needs to judge freshness and Vary), and no Set-Cookie; the URL, which the
 * store key stands for, is not in it either.
 */
import CachePolicy from 'http-cache-semantics'
import { isToken } from '../options/validate.ts'
import type { HopRequest, ResponseOutcome } from '../pipeline/stage.ts'
import type { Credentials } from './credentials.ts'
import type { CacheEntry } from './store.ts'

/** A private cache (RFC 9111 §1): responses marked private are stored, s-maxage is ignored. */
const POLICY_OPTIONS: CachePolicy.Options = { shared: false }

/** The request headers the library reads besides the Vary'd ones (RFC 9111 §5.2.1, §5.4). */
const DIRECTIVE_HEADERS = ['cache-control', 'pragma']

/**
 * Response headers a cache never stores: a cookie set for one exchange is not to be replayed to
 * every later reader, least of all from a store other processes share.
 */
const UNSTORED_RESPONSE_HEADERS = new Set(['set-cookie', 'set-cookie2'])

/**
 * The URL the library is told. Entries are found by their store key, which is the URL's hash,
 * so the library's own URL check has nothing to add, and the URL stays out of the entry.
 */
const POLICY_URL = '/'

type PolicyRequest = { url: string; method: string; headers: Record<string, string> }

/** The request as http-cache-semantics reads it: every header but the sensitive ones. */
export function policyRequest(
  request: Pick<HopRequest, 'method' | 'headers'>,
  credentials: Credentials,
  method = request.method,
): PolicyRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of request.headers) if (!credentials.isSensitive(name)) headers[name] = value
  return { url: POLICY_URL, method, headers }
}

export function policyResponse(outcome: Pick<ResponseOutcome, 'status' | 'headers'>) {
  const headers: Record<string, string> = {}
  for (const [name, value] of outcome.headers) if (!UNSTORED_RESPONSE_HEADERS.has(name)) headers[name] = value
  return { status: outcome.status, headers }
}

/**
 * A policy for a response to store. The library keeps the request headers it is given when the
 * response has a Vary; it is given only those it reads, the sensitive ones never.
 */
export function newPolicy(
  request: HopRequest,
  outcome: ResponseOutcome,
  credentials: Credentials,
): CachePolicy {
  const all = policyRequest(request, credentials)
  const read = new Set([...DIRECTIVE_HEADERS, ...varyNames(outcome.headers.get('vary'))])
  const headers: Record<string, string> = {}
  for (const name of read) if (all.headers[name] !== undefined) headers[name] = all.headers[name]
  return new CachePolicy({ ...all, headers }, policyResponse(outcome), POLICY_OPTIONS)
}

function varyNames(vary: string | null): string[] {
  return (vary ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
}

/**
 * The request header values a response's Vary names, as the entry keeps them (a sensitive one
 * hashed); `null` for `Vary: *`, which nothing matches, and for a Vary naming something that is
 * no field name (RFC 9110 §12.5.5), which no request could be matched against either.
 */
export function varyValues(
  vary: string | null,
  headers: Headers,
  credentials: Credentials,
): Record<string, string | null> | null {
  const values: Record<string, string | null> = {}
  for (const field of varyNames(vary)) {
    if (field === '*' || !isToken(field)) return null
    values[field] = credentials.keep(field, headers.get(field))
  }
  return values
}

/**
 * Whether a request may be served an entry: same credentials, same Vary'd header values. A shared
 * store's entry may hold anything: a name that is no field name matches no request.
 */
export function entryMatches(
  entry: CacheEntry,
  headers: Headers,
  fingerprint: string,
  credentials: Credentials,
): boolean {
  if (entry.credentials !== fingerprint) return false
  return Object.entries(entry.vary).every(
    ([name, value]) => isToken(name) && credentials.keep(name, headers.get(name)) === value,
  )
}

export function toEntry(
  policy: CachePolicy,
  outcome: Pick<ResponseOutcome, 'status' | 'statusText'>,
  body: Uint8Array,
  vary: Record<string, string | null>,
  fingerprint: string,
): CacheEntry {
  const serialised = policy.toObject()
  const heads = JSON.stringify(serialised).length + JSON.stringify(vary).length + fingerprint.length
  return {
    policy: serialised as unknown as CacheEntry['policy'],
    status: outcome.status,
    statusText: outcome.statusText,
    body,
    vary,
    credentials: fingerprint,
    size: body.byteLength + heads,
  }
}

/** Parsed policies of the entries a store hands back: a memory store hands back the same object each time. */
const policies = new WeakMap<CacheEntry, CachePolicy>()

export function policyOf(entry: CacheEntry): CachePolicy {
  let policy = policies.get(entry)
  if (!policy) {
    policy = CachePolicy.fromObject(entry.policy as unknown as CachePolicy.CachePolicyObject)
    policies.set(entry, policy)
  }
  return policy
}

/** Whether the entry may answer `request` without asking the origin. */
export function isFresh(policy: CachePolicy, request: HopRequest, credentials: Credentials): boolean {
  const evaluation = policy.evaluateRequest(policyRequest(request, credentials, 'GET'))
  return evaluation.response !== undefined && evaluation.revalidation === undefined
}
