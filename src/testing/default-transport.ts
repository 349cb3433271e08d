/**
 * For code under test that makes its own clients: the transport every client made without
 * `transport` or `fetch` sends through, set from the test, with nothing in the code changed.
 */
import { replaceDefaultTransport } from '../transport/default.ts'
import type { Transport } from '../transport/types.ts'

/**
 * Sends every call of every client made without `transport` or `fetch` — those made before as well
 * as after — through `transport` (a `routeTransport`, say); `null` puts the default back. Returns
 * what puts it back, for an `afterEach`.
 */
export function setDefaultTransport(transport: Transport | null): () => void {
  if (transport !== null && typeof transport !== 'function') {
    throw new TypeError(
      `fetchkind/testing: setDefaultTransport takes a transport or null, got ${typeof transport}`,
    )
  }
  replaceDefaultTransport(transport)
  return () => replaceDefaultTransport(null)
}
