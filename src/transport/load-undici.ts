/**
 * Loading undici without taking over global fetch. undici installs its Agent as the process's
 * global dispatcher when it loads, under its own key and under the key that Node's bundled undici
 * (which global fetch runs on) reads — replacing a dispatcher installed there before, such as a
 * ProxyAgent set with undici 7's setGlobalDispatcher. So undici is loaded here, when the first
 * transport is made rather than when fetchkind/undici is imported (an import is hoisted above
 * any code), and whatever global fetch had before is put back.
 */
import { createRequire } from 'node:module'

export type Undici = typeof import('undici')

/** The key Node's bundled undici (Node 22 and 24) keeps the global dispatcher under. */
const NODE_FETCH_DISPATCHER = Symbol.for('undici.globalDispatcher.1')

let loaded: Undici | undefined

export function loadUndici(): Undici {
  if (loaded) return loaded
  const globals = globalThis as unknown as Record<symbol, unknown>
  const installed = globals[NODE_FETCH_DISPATCHER]
  loaded = createRequire(import.meta.url)('undici') as Undici
  if (installed !== undefined) globals[NODE_FETCH_DISPATCHER] = installed
  return loaded
}
