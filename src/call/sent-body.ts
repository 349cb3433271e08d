/**
 * The body one attempt sends: made anew when the caller gave a function, and counted for
 * `onUploadProgress` when the caller listens.
 */

import type { BodyInit } from '../http/fetch-types.ts'
import type { RequestHead } from '../transport/types.ts'
import { runHook } from './hooks.ts'
import type { ProgressListener } from './progress.ts'
import { progressStream } from './progress.ts'

export interface SentBody {
  readonly body: BodyInit | null
  /** The hop's own headers, or a copy with the Content-Type and Content-Length of a counted body. */
  readonly headers: Headers
}

/** Pieces a body of known size is sent in when counted: its progress told after each. */
const PIECE = 64 * 1024

export async function sentBody(
  body: RequestHead['body'],
  headers: Headers,
  listener: ProgressListener | undefined,
): Promise<SentBody> {
  const made = typeof body === 'function' ? await runHook('body', body) : body
  if (listener === undefined || made === null) return { body: made, headers }
  if (made instanceof ReadableStream) {
    // A stream's length is unknown until it ends (a caller cannot set Content-Length).
    return { body: progressStream(made, undefined, listener, 'onUploadProgress'), headers }
  }
  // Anything else is in memory: encoded as fetch encodes it (its Content-Type too), then sent in
  // pieces with its length, so that the server sees the same request as without a listener.
  const extracted = new Response(made)
  const sent = new Headers(headers)
  const type = extracted.headers.get('content-type')
  if (type !== null && !sent.has('content-type')) sent.set('content-type', type)
  const bytes = new Uint8Array(await extracted.arrayBuffer())
  sent.set('content-length', String(bytes.byteLength))
  return {
    body: progressStream(pieces(bytes), bytes.byteLength, listener, 'onUploadProgress'),
    headers: sent,
  }
}

function pieces(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close()
        controller.enqueue(bytes.subarray(offset, offset + PIECE))
        offset += PIECE
      },
    },
    { highWaterMark: 0 },
  )
}
