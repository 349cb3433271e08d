/**
 * One request's dealings with the network and the store: revalidating an entry with its own
 * validators, storing what RFC 9111 lets a private cache store, serving an entry, and refreshing
 * one in the background (stale-while-revalidate). The stage decides which of these a request gets.
 */
import { bufferBody, declaredLength, discardResponse } from '../call/body.ts'
import { CallDeadline } from '../call/deadline.ts'
import { CallRecord } from '../call/record.ts'
import {
  failureOutcome,
  type HopRequest,
  type Next,
  type Outcome,
  type ResponseOutcome,
  responseOutcome,
} from '../call/stage.ts'
import type { Directives } from '../http/cache-control.ts'
import type { CacheStatus } from '../result/types.ts'
import { bytesBody } from '../transport/response-body.ts'
import { copyingBody } from './copying-body.ts'
import { type Owner, PUBLIC } from './credentials.ts'
import { type Stored, toEntry } from './entry.ts'
import { freshnessOf } from './freshness.ts'
import { guarded } from './guarded-store.ts'
import { newHead } from './head.ts'
import type { CacheReads } from './options.ts'
import { staleIfErrorAllows } from './reuse.ts'
import { freshenedHead, notModifiedSelects, servedHeaders, withValidators } from './revalidation.ts'
import type { SingleFlight } from './single-flight.ts'
import { mayBeWorthStoring, mayStore } from './storable.ts'
import type { CacheStore } from './store.ts'
import { keepVariant, type VariantCount } from './variants.ts'
import { varyValues } from './vary.ts'

/** RFC 5861 §4: the errors stale-if-error covers (with a failed connection). */
const SERVER_ERRORS = new Set([500, 502, 503, 504])

/** RFC 9110 §15.4.5: what a 304 carries of the response it stands for. */
const NOT_MODIFIED_FIELDS = new Set([
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
  'age',
])

/** When the request that got a response was sent, and when the response came (ms since the epoch). */
interface Times {
  readonly requestTime: number
  readonly responseTime: number
}

/** What the exchanges of one client's cache share. */
export interface SharedCache {
  /** The store as configured. */
  readonly store: CacheStore
  readonly maxEntrySize: number
  readonly variants: VariantCount
  readonly flights: SingleFlight
}

/**
 * Where a request's responses are found and kept, and what it asks of them: its URL's key, its
 * owner, what the key held, and its own Cache-Control.
 */
export interface Slot {
  readonly key: string
  readonly owner: Owner
  readonly latest: Stored | undefined
  readonly directives: Directives
}

/** The stored response as the answer to `request`, with its stored headers and the Age it has now. */
export function servedOutcome(request: HopRequest, { entry, head }: Stored, label: CacheStatus): Outcome {
  return responseOutcome({
    url: request.url,
    status: entry.status,
    statusText: entry.statusText,
    headers: servedHeaders(head, Date.now()),
    body: request.method === 'HEAD' ? null : bytesBody(entry.body),
    attempt: null,
    cache: label,
  })
}

/** One request's dealings with the network and the store. */
export class Exchange<R extends HopRequest<CacheReads>> {
  readonly #request: R
  readonly #next: Next<R>
  readonly #shared: SharedCache
  /** The shared store, its failures noted on this request. */
  readonly #store: CacheStore
  readonly #slot: Slot
  #kept = false

  constructor(request: R, next: Next<R>, shared: SharedCache, slot: Slot) {
    this.#request = request
    this.#next = next
    this.#shared = shared
    this.#store = guarded(shared.store, request)
    this.#slot = slot
  }

  /**
   * Goes to the network, revalidating `stored` if there is one, and stores what may be stored.
   * With `flight`, tells single flight under that key whether the response was stored.
   */
  fetch(stored: Stored | undefined, label: CacheStatus, flight?: string): Promise<Outcome> {
    if (!stored) return this.#fetchNew(label, flight)
    const revalidated = this.#revalidate(stored, label)
    return flight === undefined ? revalidated : revalidated.then((outcome) => this.#noted(outcome, flight))
  }

  /** Nothing stored to revalidate: the request as it is, its response kept if it may be. */
  async #fetchNew(label: CacheStatus, flight: string | undefined): Promise<Outcome> {
    const requestTime = Date.now()
    const outcome = await this.#next(this.#request)
    const remembered = this.remember(outcome, label, { requestTime, responseTime: Date.now() })
    const answered = remembered instanceof Promise ? await remembered : remembered
    return flight === undefined ? answered : this.#noted(answered, flight)
  }

  #noted(outcome: Outcome, flight: string): Outcome {
    if (outcome.type === 'response') this.#shared.flights.answered(flight, this.#kept, Date.now())
    return outcome
  }

  async #revalidate(stored: Stored, label: CacheStatus): Promise<Outcome> {
    const request = this.#request
    const sent = { ...request, headers: withValidators(request.headers, stored.head) }
    const requestTime = Date.now()
    const outcome = await this.#next(sent)
    const times = { requestTime, responseTime: Date.now() }

    if (staleIfErrorApplies(outcome) && this.#staleIfErrorAllows(stored, times.responseTime)) {
      await release(outcome)
      return this.serve(stored, 'stale')
    }
    if (outcome.type === 'response' && outcome.status === 304) {
      await release(outcome)
      if (notModifiedSelects(stored.head, outcome.headers)) {
        const freshened = await this.#freshen(stored, outcome.headers, times)
        return this.serve(freshened, 'revalidated')
      }
      // RFC 9111 §4.3.4: a 304 whose validator matches no stored response updates nothing and
      // serves nothing; ask once more, without validators.
      const unconditional = await this.#next(request)
      return this.remember(unconditional, label, {
        requestTime: times.responseTime,
        responseTime: Date.now(),
      })
    }
    return this.remember(outcome, label, times)
  }

  /**
   * A HEAD sent on for a stored GET response that may not answer it (RFC 9111 §4.3.5): a 200
   * whose validator is the entry's freshens it as a 304 would; one with another validator means
   * the entry is out of date, and it goes.
   */
  async sendHead(stored: Stored): Promise<Outcome> {
    const requestTime = Date.now()
    const outcome = await this.#next(this.#request)
    if (outcome.type !== 'response' || outcome.status !== 200) return { ...outcome, cache: 'miss' }
    const { headers } = outcome
    if (!headers.has('etag') && !headers.has('last-modified')) return { ...outcome, cache: 'miss' }
    if (notModifiedSelects(stored.head, headers)) {
      await this.#freshen(stored, headers, { requestTime, responseTime: Date.now() })
    } else {
      await this.#store.delete(this.#slot.key)
    }
    return { ...outcome, cache: 'miss' }
  }

  /** Stores `stored` with the fields of the response that confirmed it (§4.3.4), and returns it so. */
  async #freshen(stored: Stored, headers: Headers, times: Times): Promise<Stored> {
    const { entry } = stored
    const head = freshenedHead(stored.head, headers, times.requestTime, times.responseTime)
    this.#kept = true
    const updated = { entry: toEntry(head, entry, entry.body, entry.vary, entry.credentialHash), head }
    await keepVariant(this.#store, this.#slot.key, updated, this.#slot.latest, this.#shared.variants)
    return updated
  }

  #staleIfErrorAllows({ entry, head }: Stored, now: number): boolean {
    return staleIfErrorAllows(freshnessOf(head, entry.status, now), this.#slot.directives)
  }

  /** Stores a response that RFC 9111 lets a private cache store; deletes the entry on no-store. */
  remember(outcome: Outcome, label: CacheStatus, times: Times): Outcome | Promise<Outcome> {
    // Without freshness or a validator there is nothing to keep: skip the rules altogether.
    if (outcome.type === 'failure' || !mayBeWorthStoring(outcome.headers)) return { ...outcome, cache: label }
    return this.#remember(outcome, label, times)
  }

  async #remember(outcome: ResponseOutcome, label: CacheStatus, times: Times): Promise<Outcome> {
    const request = this.#request
    const { credentials } = this.#slot.owner
    const head = newHead(outcome.headers, times.requestTime, times.responseTime)
    const freshness = freshnessOf(head, outcome.status, times.responseTime)
    const vary = varyValues(outcome.headers.get('vary'), request.headers, credentials)
    const storable = mayStore({
      method: request.method,
      status: outcome.status,
      response: freshness.directives,
      request: this.#slot.directives,
      hasExpires: outcome.headers.has('expires'),
    })
    const worthStoring =
      storable &&
      vary !== null &&
      (freshness.lifetime > freshness.age ||
        head.headers.etag !== undefined ||
        head.headers['last-modified'] !== undefined)
    if (!worthStoring) {
      if (freshness.directives.has('no-store')) await this.#store.delete(this.#slot.key)
      return { ...outcome, cache: label }
    }
    // A body that declares itself too large to keep is passed on unread.
    if (declaredLength(outcome.headers) > this.#shared.maxEntrySize) return { ...outcome, cache: label }
    // RFC 9111 §3.5: `public` lets any cache reuse a response to a request with credentials.
    const isPublic = freshness.directives.has('public') && !freshness.directives.has('private')
    const fingerprint = isPublic ? PUBLIC : this.#slot.owner.fingerprint
    const keep = (bytes: Uint8Array) =>
      keepVariant(
        this.#store,
        this.#slot.key,
        { entry: toEntry(head, outcome, bytes, vary, fingerprint), head },
        this.#slot.latest,
        this.#shared.variants,
      )
    if (request.options.responseType === 'stream' && outcome.body) {
      // The caller reads it as it comes; the copy is stored once it has all come, if it fits.
      const store = (bytes: Uint8Array) => void keep(bytes)
      this.#kept = true
      return { ...outcome, body: copyingBody(outcome.body, this.#shared.maxEntrySize, store), cache: label }
    }
    const buffered = await bufferBody(outcome.body, this.#shared.maxEntrySize)
    if (!buffered.complete) return { ...outcome, body: buffered.body, cache: label }
    this.#kept = true
    await keep(buffered.bytes)
    return { ...outcome, body: bytesBody(buffered.bytes), cache: label }
  }

  /** The stored response, with its stored headers and the Age it has now. */
  serve(stored: Stored, label: CacheStatus): Outcome {
    return servedOutcome(this.#request, stored, label)
  }

  /**
   * A 304 from the stored response, for a caller whose own validators it matches: the fields
   * RFC 9110 §15.4.5 has a 304 carry, and no body.
   */
  serveNotModified({ head }: Stored): Outcome {
    const served = servedHeaders(head, Date.now())
    const headers = new Headers()
    for (const [name, value] of served) if (NOT_MODIFIED_FIELDS.has(name)) headers.set(name, value)
    return this.#synthesised(304, 'Not Modified', headers, 'hit')
  }

  /** RFC 9111 §5.2.1.7: `Cache-Control: only-if-cached` with nothing that may be reused. */
  gatewayTimeout(): Outcome {
    return this.#synthesised(504, 'Gateway Timeout', new Headers(), 'miss')
  }

  #synthesised(status: number, statusText: string, headers: Headers, label: CacheStatus): Outcome {
    const request = this.#request
    return responseOutcome({
      url: request.url,
      status,
      statusText,
      headers,
      body: null,
      attempt: null,
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
      'miss',
    )
  }

  /**
   * Refreshes a stale entry off the caller's path, under a deadline of its own (the caller's ends
   * with its call). Whatever happens stays here: the caller has its answer already.
   */
  async revalidateInBackground(stored: Stored): Promise<void> {
    const request = this.#request
    const deadline = new CallDeadline(undefined, request.options.timeout.total)
    const background = new Exchange(
      { ...request, deadline, trace: { method: request.method, url: request.url }, record: new CallRecord() },
      this.#next,
      this.#shared,
      this.#slot,
    )
    try {
      await release(await background.fetch(stored, 'stale'))
    } catch {
      // A failed refresh leaves the stale entry as it was.
    } finally {
      deadline.release()
    }
  }
}

function staleIfErrorApplies(outcome: Outcome): boolean {
  if (outcome.type === 'response') return SERVER_ERRORS.has(outcome.status)
  const { failure } = outcome
  return failure.kind === 'network-error' || (failure.kind === 'timeout' && failure.phase === 'attempt')
}

/** A response nobody will read, or a failure with nothing to end. */
async function release(outcome: Outcome): Promise<void> {
  if (outcome.type === 'response') await discardResponse(outcome)
}
