/**
 * The cache stage: per hop URL, answers from the store when RFC 9111 allows, revalidates a stale
 * entry with its own validators and serves it again on a 304, stores what may be stored, shares
 * one exchange among identical concurrent GETs, and invalidates on a successful unsafe request.
 * The rules themselves are pure and apart: freshness.ts, reuse.ts, storable.ts, revalidation.ts.
 */

import { channels, publish } from '../call/diagnostics.ts'
import type { HopRequest, Next, Outcome, Stage } from '../call/stage.ts'
import type { Directives } from '../http/cache-control.ts'
import { parseLocation } from '../http/location.ts'
import { SAFE_METHODS } from '../http/methods.ts'
import { oncePerHeaders } from '../http/per-headers.ts'
import { Credentials, cacheKey, type Owner } from './credentials.ts'
import type { Stored } from './entry.ts'
import { Exchange, type SharedCache, servedOutcome } from './exchange.ts'
import { freshnessOf } from './freshness.ts'
import { guarded } from './guarded-store.ts'
import { type Found, lookUp } from './lookup.ts'
import type { CacheReads, ClientCache } from './options.ts'
import { type Reuse, requestDirectives, reuseOf } from './reuse.ts'
import { callerValidatorsMatch } from './revalidation.ts'
import { SingleFlight } from './single-flight.ts'
import type { CacheStore } from './store.ts'
import { VariantCount } from './variants.ts'

type CachingRequest = HopRequest<CacheReads>

export function cacheStage(cache: ClientCache): Stage<CacheReads> {
  const flights = new SingleFlight()
  const { store: configuredStore, maxEntrySize, singleFlight, credentialKey } = cache
  const shared: SharedCache = { store: configuredStore, maxEntrySize, variants: new VariantCount(), flights }
  const credentialsBySet = new WeakMap<ReadonlySet<string>, Credentials>()

  return (request, next) => {
    if (!channels.cache.hasSubscribers) return answer(request, next)
    return answer(request, next).then((outcome) => {
      publish(channels.cache, () => ({ call: request.trace, url: request.url, cache: outcome.cache }))
      return outcome
    })
  }

  /**
   * Decides at once where it can: the in-memory store answers without a promise, and a call
   * that goes to the network waits in one place only (the exchange's fetch), not in this function too.
   */
  function answer<R extends CachingRequest>(original: R, next: Next<R>): Promise<Outcome> {
    const request = withModeHeaders(original)
    const store = guarded(configuredStore, request)
    if (!SAFE_METHODS.has(request.method)) return sendAndInvalidate(store, request, next)
    const mode = request.options.cacheMode
    const cacheable = request.method === 'GET' || request.method === 'HEAD'
    const facts = factsOf(request.headers)
    // RFC 9111 §5.2.1.5: the caller's no-store, as fetch's 'no-store' mode: nothing read or written.
    if (!cacheable || mode === 'no-store' || facts.directives.has('no-store')) return next(request)

    const key = cacheKey(request.url)
    const owner = credentialsFor(request.options.sensitiveHeaders).ownerOf(request.headers)
    const found = lookUp(store, key, request.headers, owner)
    if (found instanceof Promise) {
      return found.then((later) => answerFrom(request, next, store, facts, key, owner, later))
    }
    const answered = answerFrom(request, next, store, facts, key, owner, found)
    return answered instanceof Promise ? answered : Promise.resolve(answered)
  }

  /** The answer given what the store holds for the request: an outcome at once, or the network's. */
  function answerFrom<R extends CachingRequest>(
    request: R,
    next: Next<R>,
    store: CacheStore,
    { directives, ownValidators }: RequestFacts,
    key: string,
    owner: Owner,
    found: Found,
  ): Outcome | Promise<Outcome> {
    const mode = request.options.cacheMode
    const { stored } = found
    const reuse = stored ? reuseFor(stored, mode, directives) : 'revalidate'
    // The commonest answer, decided before anything else is made: a fresh entry for a plain GET.
    if (reuse === 'fresh' && isPlainGet(request, mode, ownValidators, directives)) {
      return servedOutcome(request, stored as Stored, 'hit')
    }
    const exchange = new Exchange(request, next, shared, { key, owner, latest: found.latest, directives })

    if (mode === 'reload') return exchange.fetch(undefined, 'bypass')
    if (mode === 'only-if-cached') return stored ? exchange.serve(stored, 'hit') : exchange.notCached()
    if (mode === 'force-cache' && stored) return exchange.serve(stored, 'hit')

    if (ownValidators) {
      // The caller's own validators: a fresh entry answers them (§4.3.2), a 304 if they hold;
      // otherwise the origin does, and its 304 is the caller's (`not-modified`).
      if (stored && reuse === 'fresh') {
        return callerValidatorsMatch(stored.head, request.headers)
          ? exchange.serveNotModified(stored)
          : exchange.serve(stored, 'hit')
      }
      return exchange.fetch(undefined, 'miss')
    }
    if (directives.has('only-if-cached')) {
      // §5.2.1.7: what may be reused, or a 504 rather than a request.
      return stored && reuse !== 'revalidate' ? exchange.serve(stored, 'hit') : exchange.gatewayTimeout()
    }
    if (stored && request.method === 'HEAD') {
      return reuse === 'fresh' ? exchange.serve(stored, 'hit') : exchange.sendHead(stored)
    }
    if (stored && reuse === 'fresh') return exchange.serve(stored, 'hit')
    // The key itself for a request without credentials: the same string each call, its hash kept.
    const flightKey = owner.fingerprint === '' ? key : `${key}\n${owner.fingerprint}`
    if (stored && reuse === 'stale-while-revalidate') {
      // This caller gets the stale entry now; one request refreshes it.
      if (!flights.has(flightKey)) flights.lead(flightKey, exchange.revalidateInBackground(stored))
      return exchange.serve(stored, 'stale')
    }

    if (singleFlight && request.method === 'GET') {
      if (flights.passes(flightKey, Date.now())) return exchange.fetch(stored, 'miss', flightKey)
      return followOrLead(request, store, key, owner, exchange, stored, flightKey)
    }
    return exchange.fetch(stored, 'miss')
  }

  /** Waits for the exchange already under way and uses what it stored, if it stored it fresh; else leads one. */
  async function followOrLead<R extends CachingRequest>(
    request: R,
    store: CacheStore,
    key: string,
    owner: Owner,
    exchange: Exchange<R>,
    stored: Stored | undefined,
    flightKey: string,
  ): Promise<Outcome> {
    const leader = flights.follow(flightKey, () => request.deadline.signal)
    if (leader) {
      await leader
      const { stored: theirs } = await lookUp(store, key, request.headers, owner)
      const { directives } = factsOf(request.headers)
      if (theirs && reuseFor(theirs, request.options.cacheMode, directives) === 'fresh') {
        return exchange.serve(theirs, 'hit')
      }
    }
    return await flights.lead(flightKey, exchange.fetch(stored, 'miss', flightKey))
  }

  /** One Credentials per set of sensitive names: a client's calls mostly share one. */
  function credentialsFor(sensitive: ReadonlySet<string>): Credentials {
    let credentials = credentialsBySet.get(sensitive)
    if (!credentials) {
      credentials = new Credentials(sensitive, credentialKey)
      credentialsBySet.set(sensitive, credentials)
    }
    return credentials
  }
}

/**
 * A GET that a fresh entry answers as it is: a mode that reads the store as RFC 9111 does, no
 * validators of the caller's own to answer, no `only-if-cached` to heed.
 */
function isPlainGet(
  request: CachingRequest,
  mode: string,
  ownValidators: boolean,
  directives: Directives,
): boolean {
  return (
    request.method === 'GET' &&
    (mode === 'default' || mode === 'no-cache') &&
    !ownValidators &&
    !directives.has('only-if-cached')
  )
}

/**
 * How a stored response may answer under a cache mode: as RFC 9111 says in `'default'`; in
 * `'no-cache'` only after the origin confirms it, unless it is fresh and `immutable` (RFC 8246:
 * a reload need not revalidate what will not change while fresh).
 */
function reuseFor({ entry, head }: Stored, mode: string, directives: Directives): Reuse {
  const freshness = freshnessOf(head, entry.status, Date.now())
  if (mode === 'no-cache') {
    const immutable = freshness.directives.has('immutable') && freshness.lifetime > freshness.age
    return immutable ? 'fresh' : 'revalidate'
  }
  return reuseOf(freshness, directives)
}

/**
 * The Fetch standard's request headers for a cache mode, where the caller set none: `'no-cache'`
 * asks caches on the way to revalidate (`max-age=0`), `'reload'` to fetch anew (`no-cache`, and
 * `Pragma` for HTTP/1.0 caches). Fetch sends the same.
 */
function withModeHeaders<R extends CachingRequest>(request: R): R {
  const mode = request.options.cacheMode
  if (mode !== 'no-cache' && mode !== 'reload') return request
  const headers = new Headers(request.headers)
  if (!headers.has('cache-control'))
    headers.set('cache-control', mode === 'reload' ? 'no-cache' : 'max-age=0')
  if (mode === 'reload' && !headers.has('pragma')) headers.set('pragma', 'no-cache')
  return { ...request, headers }
}

/** What the cache reads of a request's headers: its own Cache-Control, and whether it has validators of its own. */
interface RequestFacts {
  readonly directives: Directives
  readonly ownValidators: boolean
}

/** The request's facts, read once per Headers object. */
const factsOf = oncePerHeaders(
  (headers): RequestFacts => ({
    directives: requestDirectives(headers),
    ownValidators: headers.has('if-none-match') || headers.has('if-modified-since'),
  }),
)

/** An unsafe method goes on, and invalidates what it changed once it succeeds. */
async function sendAndInvalidate<R extends CachingRequest>(
  store: CacheStore,
  request: R,
  next: Next<R>,
): Promise<Outcome> {
  const outcome = await next(request)
  await invalidate(store, request, outcome)
  return outcome
}

/** RFC 9111 §4.4: a successful unsafe request invalidates its URL, and its Location and Content-Location on the same origin. */
async function invalidate(store: CacheStore, request: HopRequest, outcome: Outcome): Promise<void> {
  if (outcome.type !== 'response' || outcome.status < 200 || outcome.status >= 400) return
  const targets = [request.url]
  for (const name of ['location', 'content-location']) {
    // Content-Location is a URI reference too, and read the same way.
    const target = parseLocation(outcome.headers.get(name), request.url)
    if (target && target.origin === request.url.origin) targets.push(target)
  }
  await Promise.all(targets.map((target) => store.delete(cacheKey(target))))
}
