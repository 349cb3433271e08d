/**
 * Loading undici without taking over global fetch. undici installs its Agent as the process's
 * global dispatcher when it loads, under its own key and under the key that Node's bundled undici
 * (which global fetch runs on) reads — replacing a dispatcher installed there before, such as a
 * ProxyAgent set with undici 7's setGlobalDispatcher. So undici is loaded here, when the first
 * undici transport is made (the default one: at the first request) rather than when fetchkind is
 * imported (an import is hoisted above any code), and whatever global fetch had before is put back.
 *
 * `import('undici')` with its name written out, so that a bundler (esbuild, Rollup, webpack)
 * sees the dependency and puts it in the bundle; a failure to load is a `TransportUnavailableError`
 * that says what is missing and what to do, never a network error.
 */
import type { Dispatcher } from 'undici'
import { TransportUnavailableError } from './unavailable.ts'

export type Undici = typeof import('undici')

/** The key Node's bundled undici (Node 22 and 24) keeps the global dispatcher under. */
const NODE_FETCH_DISPATCHER = Symbol.for('undici.globalDispatcher.1')
/** The key undici 8's own `setGlobalDispatcher` writes. */
const UNDICI_DISPATCHER = Symbol.for('undici.globalDispatcher.2')

/** The oldest Node undici 8 runs on. */
const MINIMUM_NODE = [22, 19] as const

const globals = globalThis as unknown as Record<symbol, unknown>

let loading: Promise<Undici> | undefined
let loaded = false
/** The Agent undici made for itself as it loaded, when nobody had installed one before. */
let madeByUndici: unknown

/** undici, loaded once; rejects with a `TransportUnavailableError` where it cannot be loaded. */
export function loadUndici(): Promise<Undici> {
  loading ??= importUndici()
  return loading
}

/** Whether undici has loaded: from then on no call can fail for want of it. */
export function undiciLoaded(): boolean {
  return loaded
}

/** undici itself; the Node's version is checked by the transport that asks, as it is made. */
async function importUndici(): Promise<Undici> {
  const installed = globals[NODE_FETCH_DISPATCHER]
  const before = globals[UNDICI_DISPATCHER]
  let module: Undici & { default?: Undici }
  try {
    module = await import('undici')
  } catch (error) {
    throw new TransportUnavailableError(
      `fetchkind: undici could not be loaded (${(error as Error).message}): install it (npm install undici), ` +
        'or let your bundler include it (see "Bundling" in docs/transports.md)',
      { cause: error },
    )
  } finally {
    if (installed !== undefined) globals[NODE_FETCH_DISPATCHER] = installed
  }
  if (before === undefined) madeByUndici = globals[UNDICI_DISPATCHER]
  loaded = true
  return module.default ?? module
}

/**
 * A global dispatcher the process installed with undici's `setGlobalDispatcher` (a MockAgent, a
 * ProxyAgent, an Agent with interceptors) — not an Agent an undici made for itself — or `undefined`.
 * Global fetch sends through it; so does the default transport.
 *
 * undici 8's `setGlobalDispatcher` leaves a wrapper of the dispatcher under the older key. Node's
 * bundled undici (7.29 in Node 24) puts the Agent it makes for itself, as it loads, under both
 * keys as one object — and loads at the first `new Headers()` anywhere, usually before undici 8 —
 * so one object under both keys is Node's own, not one the process chose.
 */
export function installedGlobalDispatcher(): Dispatcher | undefined {
  const current = globals[UNDICI_DISPATCHER]
  if (current === undefined || current === madeByUndici || current === globals[NODE_FETCH_DISPATCHER]) {
    return undefined
  }
  return current as Dispatcher
}

/** Why this runtime cannot run undici 8 (a Node too old), or `null` where it can: known at once. */
export function nodeTooOld(): TransportUnavailableError | null {
  const version = globalThis.process?.versions?.node ?? ''
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const [needMajor, needMinor] = MINIMUM_NODE
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return null
  return new TransportUnavailableError(
    `fetchkind: the undici transport needs Node ${needMajor}.${needMinor} or later, and this is Node ${version}: ` +
      "upgrade Node, or use fetchTransport() from 'fetchkind/transport'",
  )
}
