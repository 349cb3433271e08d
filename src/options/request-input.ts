/**
 * A `Request` given as a call's input, as fetch takes one: its URL, method, headers, body and
 * signal become the call's, and the call's own options override each.
 */
import { mergeHeaders } from './headers.ts'
import type { RequestOptions } from './types.ts'

/** The URL and the options a call made with `request` as its input sends with. */
export function fromRequest(request: Request, init: RequestOptions): [string, RequestOptions] {
  const ownBody = init.body !== undefined || init.json !== undefined
  return [
    request.url,
    {
      method: request.method,
      signal: request.signal,
      ...init,
      // The call's headers override the Request's by name, as a request's do the client's.
      headers: mergeHeaders(new Headers(request.headers), init.headers),
      // Its body is a stream, sent once: a retry or a 307 that must send it again cannot.
      ...(ownBody || request.body === null ? {} : { body: request.body }),
    },
  ]
}
