/**
 * The transport a client gets when it is given neither `transport` nor `fetch`. On Node it is the
 * undici transport (about twice as fast as fetch, see bench/) for as long as global fetch is
 * Node's own: once something has replaced it — msw, an instrumented fetch — calls go through that
 * fetch, so that it sees them, as it would see raw fetch calls. Elsewhere (Bun, Deno, browsers,
 * workers) it is the fetch transport.
 */
import { IS_NODE } from '../ground/runtime.ts'
import { fetchTransport } from './fetch.ts'
import type { Transport } from './types.ts'
import { undiciTransport } from './undici.ts'

export function defaultTransport(): Transport {
  const viaFetch = fetchTransport()
  if (!IS_NODE) return viaFetch
  return (request) => (globalFetchIsNodes() ? sharedUndici()(request) : viaFetch(request))
}

/** One undici transport for every client with the default, as fetch has one global dispatcher. */
let shared: Transport | undefined
function sharedUndici(): Transport {
  shared ??= undiciTransport()
  return shared
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
