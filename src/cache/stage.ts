/**
 * The cache stage: per hop URL, answers from the store when RFC 9111 allows, revalidates a stale
 * entry with its own validators and serves it again on a 304, stores what may be stored, shares
 * one exchange among identical concurrent GETs, and invalidates on a successful unsafe request.
 * Freshness, Vary, Age and the 304 update rules are http-cache-semantics'; the rest is here.
 */

import { channels, publish } from '../call/diagnostics.ts'
import { parseLocation } from '../http/location.ts'
import type { HopRequest, Next, Outcome, Stage } from '../pipeline/stage.ts'
import { Credentials, cacheKey } from './credentials.ts'
import { entryMatches, isFresh, policyOf, policyRequest } from './entry.ts'
import { Exchange } from './exchange.ts'
import { guarded } from './guarded-store.ts'
import type { ClientCache } from './options.ts'
import { SingleFlight } from './single-flight.ts'
import type { CacheStore } from './store.ts'

/** RFC 9110 §9.2.1: methods that change nothing, and so invalidate nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

export function cacheStage(cache: ClientCache | false): Stage {
  if (cache === false) return (request, next) => next(request)
  const flights = new SingleFlight()
  const { store: configuredStore, maxEntrySize, singleFlight, credentialKey } = cache

  return async (request, next) => {
    const outcome = await answer(request, next)
    publish(channels.cache, () => ({ call: request.trace, url: request.url, cache: outcome.cache }))
    return outcome
  }

  async function answer(request: HopRequest, next: Next): Promise<Outcome> {
    const store = guarded(configuredStore, request)
    if (!SAFE_METHODS.has(request.method)) {
      const outcome = await next(request)
      await invalidate(store, request, outcome)
      return outcome
    }
    const mode = request.options.cacheMode
    const cacheable = request.method === 'GET' || request.method === 'HEAD'
    // The caller's own validators ask the origin, not us: its 304 is theirs (`not-modified`).
    if (!cacheable || mode === 'no-store' || hasOwnValidators(request.headers)) return next(request)

    const key = cacheKey(request.url)
    const credentials = new Credentials(request.options.sensitiveHeaders, credentialKey)
    const fingerprint = credentials.fingerprint(request.headers)
    const flightKey = `${key}\n${fingerprint}`
    const lookup = async () => {
      const entry = await store.get(key)
      return entry && entryMatches(entry, request.headers, fingerprint, credentials) ? entry : undefined
    }
    const exchange = new Exchange(
      request,
      next,
      configuredStore,
      key,
      { credentials, fingerprint },
      maxEntrySize,
    )

    if (mode === 'reload') return exchange.fetch(undefined, 'bypass')
    const entry = await lookup()
    if (mode === 'only-if-cached')
      return entry ? exchange.serve(entry, policyOf(entry), 'hit') : exchange.notCached()
    if (mode === 'force-cache' && entry) return exchange.serve(entry, policyOf(entry), 'hit')
    if (entry && request.method === 'HEAD') {
      const policy = policyOf(entry)
      if (isFresh(policy, request, credentials)) return exchange.serve(entry, policy, 'hit')
      return { ...(await next(request)), cache: 'miss' }
    }

    if (entry && mode === 'default') {
      const policy = policyOf(entry)
      const evaluation = policy.evaluateRequest(policyRequest(request, credentials))
      if (evaluation.response && !evaluation.revalidation) return exchange.serve(entry, policy, 'hit')
      if (evaluation.response && evaluation.revalidation && !evaluation.revalidation.synchronous) {
        // stale-while-revalidate: this caller gets the stale entry now; one request refreshes it.
        if (!flights.has(flightKey)) flights.lead(flightKey, exchange.revalidateInBackground(entry))
        return exchange.serve(entry, policy, 'stale')
      }
    }

    if (singleFlight && request.method === 'GET') {
      // Wait for the exchange already under way, then use what it stored, if it stored it fresh.
      const leader = flights.follow(flightKey, () => request.deadline.signal)
      if (leader) {
        await leader
        const shared = await lookup()
        if (shared && isFresh(policyOf(shared), request, credentials))
          return exchange.serve(shared, policyOf(shared), 'hit')
      }
      return flights.lead(flightKey, exchange.fetch(entry, 'miss'))
    }
    return exchange.fetch(entry, 'miss')
  }
}

function hasOwnValidators(headers: Headers): boolean {
  return headers.has('if-none-match') || headers.has('if-modified-since')
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
