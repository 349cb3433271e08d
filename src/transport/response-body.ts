/**
 * A response body not yet read, as each transport and the cache make one (ResponseBody), and
 * reading one whole within a limit.
 */
import type { ResponseBody } from './types.ts'

/** A body over a web stream: read whole by reading the stream to its end. */
export function streamBody(stream: ReadableStream<Uint8Array>): ResponseBody {
  return { bytes: (limit) => readAll(stream, limit), stream: () => stream }
}

/**
 * A body already in memory (a cache entry): read whole at the cost of a copy. The bytes are the
 * store's, shared by every response served from them: a caller who changes its own must not
 * change the next one's.
 */
export function bytesBody(bytes: Uint8Array): ResponseBody {
  return new BytesBody(bytes)
}

/** A class, not an object of closures: a cache hit makes one for every call. */
class BytesBody implements ResponseBody {
  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  // A copy by `joined`, not `slice`: slice zero-fills the new buffer first, which for a 64 KiB
  // body served on a 304 cost more than the copy (12.8 % of the revalidated call's CPU).
  async bytes(limit?: number): Promise<Uint8Array> {
    return copyOf(this.#within(limit))
  }

  /** Decoded at once and not kept: the store's own bytes, uncopied. */
  async view(limit?: number): Promise<Uint8Array> {
    return this.#within(limit)
  }

  /** All in memory already: a reader that decodes at once need not wait for a promise. */
  viewNow(limit = Number.POSITIVE_INFINITY): Uint8Array | undefined {
    return this.#bytes.byteLength > limit ? undefined : this.#bytes
  }

  stream(): ReadableStream<Uint8Array> {
    return streamOf(copyOf(this.#bytes))
  }

  #within(limit = Number.POSITIVE_INFINITY): Uint8Array {
    if (this.#bytes.byteLength > limit) throw new BodyTooLargeError(limit)
    return this.#bytes
  }
}

function copyOf(bytes: Uint8Array): Uint8Array {
  return joined([bytes], bytes.byteLength)
}

/**
 * What a body stream errors with at `maxBodySize` (with `responseType: 'stream'`), and what
 * the cap is called everywhere else: `invalid-response`, reason `'body-too-large'`.
 */
export class BodyTooLargeError extends Error {
  readonly code = 'ERR_BODY_TOO_LARGE'
  readonly limit: number

  constructor(limit: number) {
    super(`fetchkind: the response body is larger than maxBodySize (${limit} bytes)`)
    this.name = 'BodyTooLargeError'
    this.limit = limit
  }
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (bytes.byteLength > 0) controller.enqueue(bytes)
      controller.close()
    },
  })
}

/** What `watchedStream` shows its watcher; an error one returns ends the stream with it instead. */
export interface StreamWatch {
  /** The first read, before anything is read beneath. */
  start?(): Error | undefined
  /** Each chunk before it is passed on. */
  chunk?(value: Uint8Array): Error | undefined
  /** The end, once every chunk has been passed on. */
  end?(): Error | undefined
}

/**
 * `stream` as it is pulled, chunk by chunk, each chunk shown to `watch` first — which may end the
 * stream with an error instead, the rest cancelled unread — and its end after.
 */
export function watchedStream(
  stream: ReadableStream<Uint8Array>,
  watch: StreamWatch,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader()
  let started = watch.start === undefined
  const fail = async (controller: ReadableStreamDefaultController<Uint8Array>, error: Error) => {
    controller.error(error)
    await reader.cancel(error).catch(() => {})
  }
  // Read only as its reader reads, as the stream beneath it is: nothing fetched ahead.
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true
            const error = watch.start?.()
            if (error) return await fail(controller, error)
          }
          const { done, value } = await reader.read()
          if (done) {
            const error = watch.end?.()
            if (error) controller.error(error)
            else controller.close()
            return
          }
          const error = watch.chunk?.(value)
          if (!error) return controller.enqueue(value)
          await fail(controller, error)
        } catch (error) {
          controller.error(error)
        }
      },
      cancel(reason) {
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
}

/** The chunks as one piece: the only chunk as it is, several copied into one (`joined`). */
export function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0]
  return joined(chunks, length)
}

/**
 * The chunks copied into one buffer of exactly their length, as fetch's bytes() gives: its
 * `buffer` holds this body and nothing else (a chunk's is the socket's read buffer, a small
 * Buffer's the shared pool). Not zero-filled first, which on a large body costs more than the copy.
 */
export function joined(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const joined = Buffer.allocUnsafeSlow(length)
  let offset = 0
  for (const chunk of chunks) {
    joined.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new Uint8Array(joined.buffer, joined.byteOffset, length)
}

export async function readAll(
  body: ReadableStream<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let length = 0
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      length += value.byteLength
      if (length > limit) {
        await reader.cancel().catch(() => {})
        throw new BodyTooLargeError(limit)
      }
    }
  } finally {
    reader.releaseLock()
  }
  return concat(chunks, length)
}
