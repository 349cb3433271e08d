/**
 * The transport a client gets when it is given neither `transport` nor `fetch`. On Node it is the
 * undici transport (about twice as fast as fetch, see bench/) for as long as global fetch is
 * Node's own: once something has replaced it — msw, an instrumented fetch — calls go through that
 * fetch, so that it sees them, as it would see raw fetch calls. Elsewhere (Bun, Deno, browsers,
 * workers) it is the fetch transport.
 *
 * Like fetch, it sends through a global dispatcher the process installed with undici's
 * `setGlobalDispatcher` (a MockAgent, a ProxyAgent). Where undici cannot run (a bundle without
 * it, a Node too old) it falls back to the fetch transport, which works, and says so once in a
 * process warning.
 *
 * undici is not in Node's binary, and loading it takes longer than a first request to a nearby
 * server (about 70 ms here, against 20 for ky): until it has loaded, fetch serves every call it
 * sends as the undici transport would — the same results, the transports' shared tests say
 * (test/undici-fetch) — and undici is loaded 50 ms after the first call, off its path.
 */
import { IS_NODE } from '../ground/runtime.ts'
import { listeningToAttempts, withSignal } from './abort-source.ts'
import { fetchTransport } from './fetch.ts'
import { installedGlobalDispatcher, loadUndici, undiciLoaded } from './load-undici.ts'
import type { Transport, TransportRequest } from './types.ts'
import { TransportUnavailableError } from './unavailable.ts'
import { undiciTransport } from './undici.ts'

export function defaultTransport(): Transport {
  const fetching = fetchTransport()
  // The attempt's request makes its signal only when read (abort-source.ts): fetch needs one.
  const viaFetch: Transport = (request) => fetching(withSignal(request))
  return listeningToAttempts((request: TransportRequest) => {
    if (replacement) return replacement(withSignal(request))
    if (!IS_NODE || !globalFetchIsNodes()) return viaFetch(request)
    if (shared === undefined && fetchServesAlike(request)) {
      // Loading undici takes longer than a first request to a nearby server: fetch, which is in
      // the binary, serves the first calls, and undici is loaded once the process has a moment.
      loadSoon()
      return viaFetch(request)
    }
    const fast = sharedUndici()
    if (!fast) return viaFetch(request)
    const installed = request.dispatcher ? undefined : installedGlobalDispatcher()
    const sent = fast(installed ? { ...request, dispatcher: installed } : request)
    if (undiciLoaded()) return sent
    return sent.catch((error: unknown) => {
      if (!(error instanceof TransportUnavailableError)) throw error
      // Nothing was sent: undici failed to load before the request could be made.
      fallBack(error)
      return viaFetch(request)
    })
  })
}

/** What a test put in place of the default, for every client that has it (`fetchkind/testing`). */
let replacement: Transport | null = null

/** Every client made without `transport` or `fetch` sends through `transport` until it is `null` again. */
export function replaceDefaultTransport(transport: Transport | null): void {
  replacement = transport
}

/**
 * Whether fetch sends `request` as the undici transport would: no address guard to check DNS
 * answers with, no dispatcher of the caller's, no interim responses to tell, and no streamed body
 * (fetch holds one whole until its response).
 */
function fetchServesAlike(request: TransportRequest): boolean {
  const { body } = request
  return (
    !request.addressGuard &&
    !request.dispatcher &&
    !request.onInterim &&
    (body === null ||
      typeof body === 'string' ||
      body instanceof Uint8Array ||
      body instanceof URLSearchParams)
  )
}

/** How long after the first call the undici transport is made (and undici loaded). */
const LOAD_DELAY_MS = 50

/**
 * Makes the shared undici transport a moment after the first call, off that call's path: loading
 * undici blocks the event loop for tens of milliseconds. The timer holds no process open: a
 * script that makes one call and ends never loads undici at all.
 */
let loadScheduled = false
function loadSoon(): void {
  if (loadScheduled) return
  loadScheduled = true
  setTimeout(() => {
    if (!sharedUndici()) return
    // Told at once if it cannot load, not at the next call: from then on fetch sends every call.
    loadUndici().catch((error: unknown) => {
      if (error instanceof TransportUnavailableError) fallBack(error)
    })
  }, LOAD_DELAY_MS).unref()
}

/** One undici transport for every client with the default, as fetch has one global dispatcher. */
let shared: Transport | null | undefined
function sharedUndici(): Transport | null {
  if (shared === undefined) {
    try {
      shared = undiciTransport()
    } catch (error) {
      // A Node too old for undici is known as the transport is made.
      if (!(error instanceof TransportUnavailableError)) throw error
      fallBack(error)
    }
  }
  return shared ?? null
}

/** From now on the default transport is fetch's; the reason is told once. */
function fallBack(reason: TransportUnavailableError): void {
  if (shared === null) return
  shared = null
  process.emitWarning(`${reason.message}; sending with global fetch instead`, {
    type: 'FetchkindWarning',
    code: reason.code,
  })
}

/** Node's global fetch loads its undici on first use; a replacement does not (checked once per function). */
const NODES_FETCH = "require('internal/deps/undici/undici')"
let seen: unknown
let seenIsNodes = false
function globalFetchIsNodes(): boolean {
  const current = globalThis.fetch
  if (current !== seen) {
    seen = current
    seenIsNodes =
      typeof current === 'function' && Function.prototype.toString.call(current).includes(NODES_FETCH)
  }
  return seenIsNodes
}
