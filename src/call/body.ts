/**
 * Reading and decoding a response body, once, at the end of the call. Decoding failures are
 * values: a JSON body that does not parse keeps its text, a body cut short keeps its error.
 */

import { mediaType } from '../http/problem.ts'
import type { ResponseType } from '../result/types.ts'
import { BodyTooLargeError, concat, streamBody, watchedStream } from '../transport/response-body.ts'
import type { ResponseBody } from '../transport/types.ts'
import type { ResponseOutcome } from './stage.ts'

/** The Content-Length a response declares, or NaN without one (or with several). */
export function declaredLength(headers: Headers): number {
  return Number(headers.get('content-length') ?? Number.NaN)
}

/**
 * Whether the body is sure to decode to at most `limit` bytes: it declares a length that fits, and
 * no encoding that could inflate it (a gzip bomb declares a few KiB).
 */
function declaresAtMost(headers: Headers, limit: number): boolean {
  return declaredLength(headers) <= limit && !headers.has('content-encoding')
}

/** `stream`, erroring with BodyTooLargeError, and cancelling the rest, once more than `limit` bytes arrive. */
/** What a body fetchkind reads into memory may decode to, unless the caller set `maxBodySize`. */
export const DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024

export function boundedStream(stream: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let length = 0
  return watchedStream(stream, {
    chunk(value) {
      length += value.byteLength
      return length > limit ? new BodyTooLargeError(limit) : undefined
    },
  })
}

export type DecodedBody =
  | { readonly type: 'decoded'; readonly data: unknown; readonly text: string | null }
  | { readonly type: 'malformed'; readonly error: unknown; readonly text: string }
  | { readonly type: 'read-failed'; readonly error: unknown }
  | { readonly type: 'too-large'; readonly limit: number }

/** RFC 9110 §6.4.1: these responses have no content, whatever their headers say. */
export function hasNoBody(status: number, method: string): boolean {
  return method === 'HEAD' || status < 200 || status === 204 || status === 205 || status === 304
}

/** What `'auto'` becomes for a content type: JSON for `application/json` and `+json`, text for `text/*`. */
function autoResponseType(contentType: string | null): 'json' | 'text' | 'bytes' {
  const type = mediaType(contentType)
  if (type === 'application/json' || type.endsWith('+json')) return 'json'
  if (type.startsWith('text/')) return 'text'
  return 'bytes'
}

/**
 * Reads `body` whole and decodes it as `responseType` asks. `'stream'` is handled by the caller,
 * which hands the stream over unread.
 */
export function decodeBody(
  body: ResponseBody | null,
  responseType: Exclude<ResponseType, 'stream'>,
  headers: Headers,
  maxBodySize: number,
  parseJson: (text: string) => unknown = JSON.parse,
): Promise<DecodedBody> {
  if (responseType === 'none') return discardBody(body, headers).then(() => NOTHING_DECODED)
  const contentType = headers.get('content-type')
  const type = responseType === 'auto' ? autoResponseType(contentType) : responseType
  if (body === null) return Promise.resolve(decoded(new Uint8Array(0), type, contentType, parseJson))
  // Bytes for the caller are theirs to keep and change; bytes to decode need not be a copy. A
  // chain rather than an async function: this runs for every call, and an async function's frame
  // and its await cost more than the two callbacks.
  // A small response's body came with its head: decoded at once, with no promise to wait on.
  const now = type !== 'bytes' ? readNow(body, headers, maxBodySize) : undefined
  if (now) return Promise.resolve(decoded(now, type, contentType, parseJson))
  let read: Promise<Uint8Array>
  try {
    read = readBounded(body, headers, maxBodySize, type !== 'bytes')
  } catch (error) {
    // A body of a transport of the caller's may throw rather than reject: it failed all the same.
    read = Promise.reject(error)
  }
  return read.then(
    (bytes) => decoded(bytes, type, contentType, parseJson),
    (error: unknown): DecodedBody =>
      error instanceof BodyTooLargeError
        ? { type: 'too-large', limit: maxBodySize }
        : { type: 'read-failed', error },
  )
}

const NOTHING_DECODED: DecodedBody = Object.freeze({ type: 'decoded', data: undefined, text: null })

/** The body's bytes as `type` says. */
function decoded(
  bytes: Uint8Array,
  type: 'json' | 'text' | 'bytes',
  contentType: string | null,
  parseJson: (text: string) => unknown,
): DecodedBody {
  if (type === 'bytes') return { type: 'decoded', data: bytes, text: null }
  if (type === 'text') {
    const text = decodeText(bytes, contentType)
    return { type: 'decoded', data: text, text }
  }
  // An empty body is no JSON document; it is no data either (a 201 or 202 often has none).
  if (bytes.byteLength === 0) return { type: 'decoded', data: undefined, text: '' }
  // RFC 8259 §8.1: JSON is UTF-8; TextDecoder drops a leading BOM as fetch's json() does.
  const text = UTF8.decode(bytes)
  try {
    return { type: 'decoded', data: parseJson(text), text }
  } catch (error) {
    return { type: 'malformed', error, text }
  }
}

/** Ends a response whose body nobody may read: cancelled at once, nothing more read, nothing decoded. */
export async function cancelResponse(response: Pick<ResponseOutcome, 'body' | 'attempt'>): Promise<void> {
  await response.body
    ?.stream()
    .cancel()
    .catch(() => {})
  response.attempt?.release()
}

/** Ends a response nobody will read: its body discarded, then its attempt's deadline released. */
export async function discardResponse(
  response: Pick<ResponseOutcome, 'body' | 'headers' | 'attempt'>,
): Promise<void> {
  await discardBody(response.body, response.headers)
  response.attempt?.release()
}

/** Enough for any redirect or error page a server means to send; more is not worth reading. */
const DRAIN_LIMIT = 64 * 1024

/**
 * Gets rid of a body nobody will read. One that declares a short Content-Length and no encoding
 * is read to its end, which leaves the connection free for the next request (undici's redirect
 * handler drains for the same reason); any other is cancelled at once, which closes the
 * connection rather than wait on a body of unknown length, or inflate one (a gzip bomb declares
 * a few KiB).
 */
export async function discardBody(body: ResponseBody | null, headers: Headers): Promise<void> {
  if (body === null) return
  try {
    // Read whole, the transport's fastest way; the limit still holds should the length lie.
    if (declaresAtMost(headers, DRAIN_LIMIT)) {
      await body.bytes(DRAIN_LIMIT)
    } else {
      await body.stream().cancel()
    }
  } catch {
    // A body that fails, or proves longer than it said, while being discarded has nothing left to give.
  }
}

export type BufferedBody =
  | { readonly complete: true; readonly bytes: Uint8Array }
  | { readonly complete: false; readonly body: ResponseBody }

/**
 * Reads `body` whole if it fits in `limit` bytes. Otherwise, or if reading fails, gives back a
 * stream that replays what was read and then goes on (or fails) as the original would: the
 * reader downstream sees the same body either way.
 */
export async function bufferBody(body: ResponseBody | null, limit: number): Promise<BufferedBody> {
  if (body === null) return { complete: true, bytes: new Uint8Array(0) }
  const reader = body.stream().getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  let failure: { error: unknown } | null = null
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { complete: true, bytes: concat(chunks, length) }
      chunks.push(value)
      length += value.byteLength
      if (length > limit) break
    }
  } catch (error) {
    failure = { error }
  }
  return { complete: false, body: streamBody(replay(chunks, reader, failure)) }
}

function replay(
  chunks: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
  failure: { error: unknown } | null,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      if (failure) controller.error(failure.error)
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      } catch (error) {
        controller.error(error)
      }
    },
    cancel(reason) {
      return reader.cancel(reason)
    },
  })
}

/**
 * The whole body, or BodyTooLarge past `limit` bytes. A body whose declared length fits and that
 * is not compressed is read the transport's fastest way; any other (chunked, or compressed — a
 * gzip bomb declares a few KiB) is counted as it arrives, and cancelled at the limit. Read to
 * decode at once (`toDecode`), it may be the transport's or the store's own bytes.
 */
function readBounded(
  body: ResponseBody,
  headers: Headers,
  limit: number,
  toDecode: boolean,
): Promise<Uint8Array> {
  const bound = declaresAtMost(headers, limit) ? undefined : limit
  return toDecode && body.view ? body.view(bound) : body.bytes(bound)
}

/** `readBounded`'s bytes to decode, when the transport has them all already; else `undefined`. */
function readNow(body: ResponseBody, headers: Headers, limit: number): Uint8Array | undefined {
  if (!body.viewNow) return undefined
  try {
    return body.viewNow(declaresAtMost(headers, limit) ? undefined : limit)
  } catch {
    // A body of a transport of the caller's that throws here is read the usual way, and fails there.
    return undefined
  }
}

/** Text in the charset the Content-Type names, when the platform knows it; UTF-8 otherwise. */
function decodeText(bytes: Uint8Array, contentType: string | null): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1]
  if (charset) {
    try {
      return new TextDecoder(charset).decode(bytes)
    } catch {
      // An unknown label is the server's mistake; UTF-8 loses the least.
    }
  }
  return UTF8.decode(bytes)
}

/** Decoding without `stream` keeps no state between calls: one decoder serves them all. */
const UTF8 = new TextDecoder()
