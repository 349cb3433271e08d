/**
 * A `Request`'s body as fetch sends it. The Request keeps only a stream, whatever it was made
 * from; fetch knows the source, and sends a string or a buffer with its Content-Length and a
 * stream as it is produced. Read ahead up to 64 KiB, a body that ends there is sent as its bytes
 * (with their length, and again on a retry or a 307); a longer one is streamed, the bytes read
 * ahead first, so that a large upload never sits whole in memory and no length is made up.
 */

import { joined } from '../transport/response-body.ts'

/** The most read ahead of a Request's body before it is streamed instead. */
const READ_AHEAD = 64 * 1024

export async function requestBodyOf(
  stream: ReadableStream<Uint8Array>,
): Promise<Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>> {
  const reader = stream.getReader()
  const ahead: Uint8Array[] = []
  let size = 0
  while (size <= READ_AHEAD) {
    const { done, value } = await reader.read()
    if (done) return joined(ahead, size)
    ahead.push(value)
    size += value.byteLength
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of ahead) controller.enqueue(chunk)
    },
    async pull(controller) {
      const { done, value } = await reader.read()
      if (done) controller.close()
      else controller.enqueue(value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
}
