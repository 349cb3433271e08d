/**
 * One request's dealings with the network and the store: revalidating an entry with its own
 * validators, storing what RFC 9111 lets a private cache store, serving an entry, and refreshing
 * one in the background (stale-while-revalidate). The stage decides which of these a request gets.
 */
import type CachePolicy from 'http-cache-semantics'
import { bufferBody, declaredLength, discardResponse } from '../call/body.ts'
import { CallDeadline } from '../call/deadline.ts'
import { CallNotes } from '../call/notes.ts'
import { headersFrom } from '../http/header-fields.ts'
import {
  failureOutcome,
  type HopRequest,
  type Next,
  type Outcome,
  responseOutcome,
} from '../pipeline/stage.ts'
import type { AttemptRecord, CacheStatus } from '../result/types.ts'
import { bytesBody } from '../transport/response-body.ts'
import { copyingBody } from './copying-body.ts'
import type { Credentials } from './credentials.ts'
import { newPolicy, policyOf, policyRequest, policyResponse, toEntry, varyValues } from './entry.ts'
import { guarded } from './guarded-store.ts'
import type { CacheEntry, CacheStore } from './store.ts'

/** RFC 5861 §4: the errors stale-if-error covers (with a failed connection). */
const SERVER_ERRORS = new Set([500, 502, 503, 504])

/** Whose request this is, as the cache may know it. */
export interface Owner {
  readonly credentials: Credentials
  /** The keyed hash of its credentials an entry is stored with (`''` without any). */
  readonly fingerprint: string
}

/** One request's dealings with the network and the store. */
export class Exchange {
  readonly #request: HopRequest
  readonly #next: Next
  /** The store as configured, for an exchange that outlives this request's. */
  readonly #configuredStore: CacheStore
  /** The same store, its failures noted on this request. */
  readonly #store: CacheStore
  readonly #key: string
  readonly #owner: Owner
  readonly #maxEntrySize: number

  constructor(
    request: HopRequest,
    next: Next,
    store: CacheStore,
    key: string,
    owner: Owner,
    maxEntrySize: number,
  ) {
    this.#request = request
    this.#next = next
    this.#configuredStore = store
    this.#store = guarded(store, request)
    this.#key = key
    this.#owner = owner
    this.#maxEntrySize = maxEntrySize
  }

  /** Goes to the network, revalidating `entry` if there is one, and stores what may be stored. */
  async fetch(entry: CacheEntry | undefined, label: CacheStatus): Promise<Outcome> {
    const request = this.#request
    const policy = entry ? policyOf(entry) : undefined
    const { credentials } = this.#owner
    const sent = policy ? { ...request, headers: revalidationHeaders(policy, request, credentials) } : request
    const outcome = await this.#next(sent)
    if (!entry || !policy) return this.remember(outcome, label)

    if (staleIfErrorApplies(outcome) && allowsStaleIfError(policy, request, credentials)) {
      await release(outcome)
      return this.serve(entry, policy, 'stale', outcome.attempts)
    }
    if (outcome.type === 'response' && outcome.status === 304) {
      const revalidated = policy.revalidatedPolicy(policyRequest(sent, credentials), policyResponse(outcome))
      await release(outcome)
      if (revalidated.matches && !revalidated.modified) {
        const updated = toEntry(revalidated.policy, entry, entry.body, entry.vary, entry.credentials)
        await this.#store.set(this.#key, updated)
        return this.serve(updated, revalidated.policy, 'revalidated', outcome.attempts)
      }
      // RFC 9111 §4.3.4: a 304 whose validator matches no stored response updates nothing and
      // serves nothing; ask once more, without validators.
      const unconditional = await this.#next(request)
      return this.remember(
        { ...unconditional, attempts: [...outcome.attempts, ...unconditional.attempts] },
        label,
      )
    }
    return this.remember(outcome, label)
  }

  /** Stores a response that RFC 9111 lets a private cache store; deletes the entry on no-store. */
  async remember(outcome: Outcome, label: CacheStatus): Promise<Outcome> {
    if (outcome.type === 'failure') return { ...outcome, cache: label }
    // Without freshness or a validator there is nothing to keep: skip the policy altogether.
    if (!mayBeWorthStoring(outcome.headers)) return { ...outcome, cache: label }
    const request = this.#request
    const { credentials, fingerprint } = this.#owner
    const policy = newPolicy(request, outcome, credentials)
    const vary = varyValues(outcome.headers.get('vary'), request.headers, credentials)
    const worthStoring =
      request.method === 'GET' &&
      policy.storable() &&
      vary !== null &&
      (policy.timeToLive() > 0 || outcome.headers.has('etag') || outcome.headers.has('last-modified'))
    if (!worthStoring) {
      if (/(^|[\s,])no-store([\s,]|$)/i.test(outcome.headers.get('cache-control') ?? '')) {
        await this.#store.delete(this.#key)
      }
      return { ...outcome, cache: label }
    }
    // A body that declares itself too large to keep is passed on unread.
    if (declaredLength(outcome.headers) > this.#maxEntrySize) return { ...outcome, cache: label }
    if (request.options.responseType === 'stream' && outcome.body) {
      // The caller reads it as it comes; the copy is stored once it has all come, if it fits.
      const store = (bytes: Uint8Array) =>
        void this.#store.set(this.#key, toEntry(policy, outcome, bytes, vary, fingerprint))
      return { ...outcome, body: copyingBody(outcome.body, this.#maxEntrySize, store), cache: label }
    }
    const buffered = await bufferBody(outcome.body, this.#maxEntrySize)
    if (!buffered.complete) return { ...outcome, body: buffered.body, cache: label }
    await this.#store.set(this.#key, toEntry(policy, outcome, buffered.bytes, vary, fingerprint))
    return { ...outcome, body: bytesBody(buffered.bytes), cache: label }
  }

  /** The stored response, with its headers as the policy says to serve them (Age updated). */
  serve(
    entry: CacheEntry,
    policy: CachePolicy,
    label: CacheStatus,
    attempts: readonly AttemptRecord[] = [],
  ): Outcome {
    const request = this.#request
    return responseOutcome({
      url: request.url,
      status: entry.status,
      statusText: entry.statusText,
      headers: headersFrom(policy.responseHeaders()),
      body: request.method === 'HEAD' ? null : bytesBody(entry.body),
      attempt: request.deadline.startAttempt(false),
      attempts,
      cache: label,
    })
  }

  /** `only-if-cached` with nothing stored: no response, and nothing sent (Fetch: a network error). */
  notCached(): Outcome {
    const { url } = this.#request
    const message = `nothing is cached for ${url.href}, and cache mode 'only-if-cached' forbids the network`
    return failureOutcome(
      url,
      { kind: 'network-error', code: 'ERR_NOT_CACHED', message, error: null },
      [],
      'miss',
    )
  }

  /**
   * Refreshes a stale entry off the caller's path, under a deadline of its own (the caller's ends
   * with its call). Whatever happens stays here: the caller has its answer already.
   */
  async revalidateInBackground(entry: CacheEntry): Promise<void> {
    const request = this.#request
    const deadline = new CallDeadline(undefined, request.options.timeout.total)
    const background = new Exchange(
      { ...request, deadline, trace: { method: request.method, url: request.url }, notes: new CallNotes() },
      this.#next,
      this.#configuredStore,
      this.#key,
      this.#owner,
      this.#maxEntrySize,
    )
    try {
      await release(await background.fetch(entry, 'stale'))
    } catch {
      // A failed refresh leaves the stale entry as it was.
    } finally {
      deadline.release()
    }
  }
}

/**
 * A response can only be worth storing with explicit freshness or a validator; without them the
 * heuristics have nothing to work from (RFC 9111 §4.2.2 needs Last-Modified).
 */
function mayBeWorthStoring(headers: Headers): boolean {
  return (
    headers.has('cache-control') ||
    headers.has('expires') ||
    headers.has('etag') ||
    headers.has('last-modified')
  )
}

/** The request's headers with the entry's validators added (If-None-Match, If-Modified-Since). */
function revalidationHeaders(policy: CachePolicy, request: HopRequest, credentials: Credentials): Headers {
  // The library is never shown the sensitive headers, so it cannot be the one to copy the request's.
  const validators = policy.revalidationHeaders(policyRequest(request, credentials))
  const headers = new Headers(request.headers)
  for (const name of ['if-none-match', 'if-modified-since']) {
    const value = validators[name]
    if (typeof value === 'string') headers.set(name, value)
  }
  return headers
}

function staleIfErrorApplies(outcome: Outcome): boolean {
  if (outcome.type === 'response') return SERVER_ERRORS.has(outcome.status)
  const { failure } = outcome
  return failure.kind === 'network-error' || (failure.kind === 'timeout' && failure.phase === 'attempt')
}

/** The library's own stale-if-error rule: an error revalidates a stale entry within its window. */
function allowsStaleIfError(policy: CachePolicy, request: HopRequest, credentials: Credentials): boolean {
  return !policy.revalidatedPolicy(policyRequest(request, credentials), { status: 500, headers: {} }).modified
}

/** A response nobody will read, or a failure with nothing to end. */
async function release(outcome: Outcome): Promise<void> {
  if (outcome.type === 'response') await discardResponse(outcome)
}
