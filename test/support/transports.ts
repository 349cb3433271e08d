import { fetchTransport, type Transport } from '../../src/transport.ts'
import { undiciTransport } from '../../src/undici.ts'

/** Both transports, for the tests that must hold for either. */
export const TRANSPORTS: readonly { readonly name: string; readonly make: () => Transport }[] = [
  { name: 'fetch', make: () => fetchTransport() },
  { name: 'undici', make: () => undiciTransport() },
]

/** `{ transport }` for createClient. */
export function transportOption(make: () => Transport): { transport: Transport } {
  return { transport: make() }
}
