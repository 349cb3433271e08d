import type { FetchFunction } from '../../src/transport.ts'

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
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })

/** A fetch that rejects with `error`, as fetch wraps a failed connection. */
export function failingFetch(error: unknown): FetchFunction {
  return async () => {
    throw error
  }
}

/** One answer of a scripted fetch: a response to build, or an error to reject with. */
export type Step = (() => Response) | Error

/**
 * A fetch that answers the nth request with the nth step (the last step repeats), recording
 * every request it got.
 */
export function scriptedFetch(...steps: Step[]) {
  const requests: { url: string; method: string; headers: Headers; body: unknown }[] = []
  const fetch: FetchFunction = async (url, init) => {
    requests.push({
      url: url.href,
      method: String(init.method),
      headers: new Headers(init.headers),
      body: init.body,
    })
    const step = steps[Math.min(requests.length, steps.length) - 1]
    if (step instanceof Error) throw step
    if (!step) throw new Error('scriptedFetch: no steps')
    return step()
  }
  return { fetch, requests }
}

export const status =
  (code: number, headers: HeadersInit = {}): Step =>
  () =>
    Response.json({ status: code }, { status: code, headers })

/** What fetch rejects with when a connection fails: a TypeError whose cause carries the code. */
export function networkFailure(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`${code} happened`), { code }) })
}
