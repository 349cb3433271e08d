/** The portable transport: any WHATWG `fetch` (global fetch by default, or the caller's). */
import type { Transport } from './types.ts'

export type FetchFunction = (input: URL, init: RequestInit) => Promise<Response>

/**
 * Without `fetchFunction`, the global fetch is looked up on each call, not when the client is
 * made, so that whatever replaces it later (a mock, an instrumented fetch) is used.
 */
export function fetchTransport(fetchFunction?: FetchFunction): Transport {
  return async ({ url, method, headers, body, signal }) => {
    const response = await (fetchFunction ?? globalThis.fetch)(url, {
      method,
      headers,
      body,
      signal,
      // fetchkind follows redirects itself, so that each hop is governed and visible.
      redirect: 'manual',
      // Node's fetch requires this for a streamed request body.
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit)
    return response
  }
}
