/**
 * A body the caller reads as it arrives while the cache keeps a copy: for `responseType:
 * 'stream'`, where buffering first would hold back every chunk (an SSE stream) until the whole
 * body, or `maxEntrySize` of it, had come.
 */
import { concat } from '../transport/response-body.ts'
import type { ResponseBody } from '../transport/types.ts'

/** `body` as it is, with `keep` handed a copy once it has ended within `limit` bytes. */
export function copyingBody(
  body: ResponseBody,
  limit: number,
  keep: (bytes: Uint8Array) => void,
): ResponseBody {
  return {
    async bytes() {
      const bytes = await body.bytes()
      if (bytes.byteLength <= limit) keep(bytes)
      return bytes
    },
    stream() {
      const reader = body.stream().getReader()
      const chunks: Uint8Array[] = []
      let length = 0
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read()
            if (done) {
              controller.close()
              if (length <= limit) keep(concat(chunks, length))
              return
            }
            length += value.byteLength
            // Past the limit the copy is dropped: nothing will be stored, nothing more is kept.
            if (length <= limit) chunks.push(value)
            else chunks.length = 0
            controller.enqueue(value)
          } catch (error) {
            controller.error(error)
          }
        },
        cancel(reason) {
          return reader.cancel(reason)
        },
      })
    },
  }
}
