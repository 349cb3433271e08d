import type { Transport } from '../../src/index.ts'
import { undiciTransport } from '../../src/undici.ts'

/** Both transports, for the tests that must hold for either: `undefined` is the fetch transport. */
export const TRANSPORTS: readonly { readonly name: string; readonly make: () => Transport | undefined }[] = [
  { name: 'fetch', make: () => undefined },
  { name: 'undici', make: () => undiciTransport() },
]

/** `{ transport }` for createClient, or nothing for the fetch transport. */
export function transportOption(make: () => Transport | undefined): { transport?: Transport } {
  const transport = make()
  return transport ? { transport } : {}
}
