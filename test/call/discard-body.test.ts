import { describe, expect, it } from 'vitest'
import { discardBody } from '../../src/call/body.ts'
import { streamBody } from '../../src/transport/response-body.ts'

/** A stream of `chunks` chunks of `size` bytes, recording how it was ended. */
function source(chunks: number, size: number) {
  const seen = { pulled: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close()
      seen.pulled += 1
      controller.enqueue(new Uint8Array(size))
    },
    cancel() {
      seen.cancelled = true
    },
  })
  return { stream, seen }
}

describe('discardBody', () => {
  const length = (bytes: number) => new Headers({ 'content-length': String(bytes) })

  it('reads a body of a short Content-Length to its end, so that its connection is free again', async () => {
    const { stream, seen } = source(4, 1024)
    await discardBody(streamBody(stream), length(4096))
    expect(seen).toEqual({ pulled: 4, cancelled: false })
  })

  it('cancels a body that declares more than 64 KiB without reading it', async () => {
    const { stream, seen } = source(1000, 16 * 1024)
    await discardBody(streamBody(stream), length(16_384_000))
    expect(seen.cancelled).toBe(true)
    expect(seen.pulled).toBeLessThanOrEqual(1)
  })

  it('cancels a body of unknown length at once rather than wait on it', async () => {
    const { stream, seen } = source(4, 1024)
    await discardBody(streamBody(stream), new Headers())
    expect(seen.cancelled).toBe(true)
  })

  it('stops reading a body longer than it declared', async () => {
    const { stream, seen } = source(1000, 16 * 1024)
    await discardBody(streamBody(stream), length(1024))
    expect(seen.cancelled).toBe(true)
    expect(seen.pulled).toBeLessThanOrEqual(6)
  })

  it('swallows a body that fails while being discarded', async () => {
    const failing = new ReadableStream({
      pull(controller) {
        controller.error(new TypeError('terminated'))
      },
    })
    await expect(discardBody(streamBody(failing), length(10))).resolves.toBeUndefined()
  })

  it('accepts no body', async () => {
    await expect(discardBody(null, new Headers())).resolves.toBeUndefined()
  })
})
