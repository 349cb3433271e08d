/**
 * A body the caller reads as it arrives while the cache keeps a copy: for `responseType:
 * 'stream'`, where buffering first would hold back every chunk (an SSE stream) until the whole
 * body, or `maxEntrySize` of it, had come.
 */
import { concat, watchedStream } from '../transport/response-body.ts'
import type { ResponseBody } from '../transport/types.ts'

/** `body` as it is, with `keep` handed a copy once it has ended within `limit` bytes. */
export function copyingBody(
  body: ResponseBody,
  limit: number,
  keep: (bytes: Uint8Array) => void,
): ResponseBody {
  return {
    async bytes(max) {
      const bytes = await body.bytes(max)
      // The store's copy is its own: what the caller does with theirs does not reach it.
      if (bytes.byteLength <= limit) keep(bytes.slice())
      return bytes
    },
    stream() {
      const chunks: Uint8Array[] = []
      let length = 0
      return watchedStream(body.stream(), {
        chunk(value) {
          length += value.byteLength
          // Past the limit the copy is dropped: nothing will be stored, nothing more is kept.
          // Copied as it passes: the caller may change the chunk it is handed.
          if (length <= limit) chunks.push(value.slice())
          else chunks.length = 0
          return undefined
        },
        end() {
          if (length <= limit) keep(concat(chunks, length))
          return undefined
        },
      })
    },
  }
}
