import type { FetchFunction } from '../../src/index.ts'

/**
 * A fetch that answers with a response-like object, for what a real Response cannot be built
 * with (1xx, statuses outside 200–599) — as the undici transport can surface them.
 */
export function fakeFetch(
  status: number,
  init: { headers?: HeadersInit; body?: string } = {},
): FetchFunction {
  return async () =>
    ({
      status,
      statusText: '',
      headers: new Headers(init.headers),
      body: init.body === undefined ? null : new Response(init.body).body,
    }) as Response
}

/** A fetch that never answers, but rejects when its signal aborts, as fetch does. */
export const hangingFetch: FetchFunction = (_input, init) =>
  new Promise((_resolve, reject) => {
    const signal = init.signal as AbortSignal
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })

/** A fetch that rejects with `error`, as fetch wraps a failed connection. */
export function failingFetch(error: unknown): FetchFunction {
  return async () => {
    throw error
  }
}
