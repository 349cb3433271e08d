/** The portable transport: any WHATWG `fetch` (global fetch by default, or the caller's). */
import { readAll, streamBody } from './response-body.ts'
import type { ResponseBody, Transport } from './types.ts'

export type FetchFunction = (input: URL, init: RequestInit) => Promise<Response>

/**
 * Without `fetchFunction`, the global fetch is looked up on each call, not when the client is
 * made, so that whatever replaces it later (a mock, an instrumented fetch) is used.
 */
export function fetchTransport(fetchFunction?: FetchFunction): Transport {
  return async ({ url, method, headers, body, signal, dispatcher }) => {
    const init: RequestInit & { dispatcher?: unknown; duplex?: 'half' } = {
      method,
      headers,
      body,
      signal,
      // fetchkind follows redirects itself, so that each hop is governed and visible.
      redirect: 'manual',
    }
    // Node's fetch sends through it; a fetch that knows no dispatcher ignores it.
    if (dispatcher) init.dispatcher = dispatcher
    // Node's fetch requires this for a streamed request body.
    if (body instanceof ReadableStream) init.duplex = 'half'
    const response = await (fetchFunction ?? globalThis.fetch)(url, init)
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: response.body === null ? null : fetchBody(response),
    }
  }
}

/** Response.bytes() reads in one go where the runtime has it; an injected fetch may return less than a Response. */
function fetchBody(response: Response): ResponseBody {
  const body = response.body as ReadableStream<Uint8Array>
  if (typeof response.bytes !== 'function') return streamBody(body)
  return {
    bytes: (limit) => (limit === undefined ? response.bytes() : readAll(body, limit)),
    stream: () => body,
  }
}
