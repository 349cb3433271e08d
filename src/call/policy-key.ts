/**
 * What a policy (a retry budget, a breaker, a rate limit, a bulkhead) keeps its state by: the
 * origin unless the caller says otherwise — so that a service calling one API for many tenants can
 * key by tenant, and one tenant's trouble holds back nobody else's calls.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { originOf } from '../http/href.ts'
import type { RequestHead } from '../transport/types.ts'
import { HookFailure } from './hooks.ts'

/** The key of a request for one policy: the same key, the same breaker, bucket, bulkhead or budget. */
export type PolicyKey = (request: RequestHead) => string

/** The default: one state per origin. */
export const byOrigin: PolicyKey = (request) => originOf(request.url)

/** Credentials a request may carry, in the order they are looked for. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'api-key', 'cookie']

/**
 * A key of the origin and the request's credential (its Authorization, API key or Cookie), for a
 * client whose calls carry many tenants' tokens: each tenant gets its own breaker, rate limit,
 * bulkhead, budget and cooldowns. The credential appears only as a keyed hash, never as itself:
 * the key goes into `meta`, onto diagnostics channels and, with a shared store, into Redis.
 * `secret` keys the hash (give the same one to every replica sharing a store); by default a
 * random one per process.
 */
export function byOriginAndCredential(secret: string | Uint8Array = randomBytes(32)): PolicyKey {
  return (request) => {
    const name = CREDENTIAL_HEADERS.find((header) => request.headers.has(header))
    if (!name) return request.url.origin
    const value = request.headers.get(name) as string
    const fingerprint = createHmac('sha256', secret)
      .update(`${name}\n${value}`)
      .digest('base64url')
      .slice(0, 22)
    return `${request.url.origin} ${fingerprint}`
  }
}

/** The key `key` gives `request`; what it throws ends the call as `hook-error`, hook `'key'`. */
export function keyOf(key: PolicyKey, request: RequestHead): string {
  if (key === byOrigin) return originOf(request.url)
  try {
    const value = key(request)
    if (typeof value !== 'string') throw new TypeError(`a policy key must be a string, got ${typeof value}`)
    return value
  } catch (error) {
    throw new HookFailure('key', error)
  }
}
