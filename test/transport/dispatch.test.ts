/**
 * The undici transport's own dispatch handler (src/transport/dispatch.ts): what undici.request's
 * Node stream did for the body, it must still do — hold back a body nobody reads, answer an abort
 * at once even while the request waits for a connection, fail a body not yet read when aborted —
 * against a real loopback origin.
 */
import type { ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { BodyTooLargeError } from '../../src/transport/response-body.ts'
import type { TransportRequest } from '../../src/transport/types.ts'
import { undiciTransport } from '../../src/undici.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

const BIG = 32 * 1024 * 1024
const CHUNK = Buffer.alloc(64 * 1024, 7)

/** What /big wrote, and whether the whole body went out. */
const big = { written: 0, finished: false }
/** The requests /slow has seen, by their `n` query parameter, and the response it holds. */
const slow: { seen: string[]; held: ServerResponse | null } = { seen: [], held: null }

let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/big': (_request, response) => {
      big.written = 0
      big.finished = false
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG) })
      const write = () => {
        while (big.written < BIG) {
          big.written += CHUNK.byteLength
          if (!response.write(CHUNK)) return void response.once('drain', write)
        }
        response.end(() => {
          big.finished = true
        })
      }
      write()
    },
    '/slow': (request, response) => {
      const n = new URL(request.url ?? '', 'http://x').searchParams.get('n') ?? ''
      slow.seen.push(n)
      if (n === 'held') slow.held = response
      else response.writeHead(200, { 'content-type': 'text/plain' }).end(n)
    },
    '/small': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('small body')
    },
  })
})

afterAll(async () => {
  await origin.stop()
})

function request(path: string, signal = new AbortController().signal): TransportRequest {
  return { url: new URL(path, origin.url), method: 'GET', headers: new Headers(), body: null, signal }
}

/** Resolves once `read()` has stayed the same over several polls: the writer has stalled. */
async function settled(read: () => number): Promise<number> {
  let last = -1
  for (let same = 0; same < 5; ) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    const now = read()
    same = now === last ? same + 1 : 0
    last = now
  }
  return last
}

describe("the undici transport's dispatch handler", () => {
  it('holds back a body nobody reads yet: the server is made to wait, and nothing is lost', async () => {
    const transport = undiciTransport()
    const response = await transport(request('/big'))
    const stalled = await settled(() => big.written)
    // Unread, the client takes in no more than its high-water mark and the sockets' buffers.
    expect(big.finished).toBe(false)
    expect(stalled).toBeLessThan(BIG)
    const reader = response.body?.stream().getReader()
    let length = 0
    for (;;) {
      const chunk = await reader?.read()
      if (!chunk || chunk.done) break
      length += chunk.value.byteLength
    }
    expect(length).toBe(BIG)
    await transport.close()
  })

  it('answers an abort at once while the request waits for a connection, and never sends it', async () => {
    const transport = undiciTransport({ connections: 1 })
    slow.seen = []
    // The only connection is busy with a response the server holds back.
    const held = transport(request('/slow?n=held'))
    await expect.poll(() => slow.seen).toEqual(['held'])
    const controller = new AbortController()
    const queued = transport(request('/slow?n=aborted', controller.signal))
    const reason = new Error('the caller gave up')
    controller.abort(reason)
    await expect(queued).rejects.toBe(reason)
    // The held response ends; the next request on the connection is the one after the abort.
    slow.held?.writeHead(200).end('held')
    await (await held).body?.bytes()
    const after = await transport(request('/slow?n=after'))
    expect(new TextDecoder().decode(await after.body?.bytes())).toBe('after')
    expect(slow.seen).toEqual(['held', 'after'])
    await transport.close()
  })

  it('fails a body not yet read when the exchange is aborted after its head', async () => {
    const transport = undiciTransport()
    const controller = new AbortController()
    const response = await transport(request('/small', controller.signal))
    const reason = new Error('aborted before reading')
    controller.abort(reason)
    await expect(response.body?.bytes()).rejects.toBe(reason)
    await transport.close()
  })

  it("fails a streamed body the caller has not read to its end when the caller aborts, as fetch's does", async () => {
    const transport = undiciTransport()
    const client = createClient({ baseUrl: origin.url, transport, cache: false, retry: false })
    const controller = new AbortController()
    const result = await client.get('/small', { responseType: 'stream', signal: controller.signal })
    if (result.kind !== 'success' || !result.data) throw new Error(result.kind)
    // Every byte has arrived; none has been read.
    await new Promise((resolve) => setTimeout(resolve, 20))
    const reason = new Error('the caller gave up')
    controller.abort(reason)
    await expect(new Response(result.data).text()).rejects.toBe(reason)
    await transport.close()
  })

  it("gives a body read whole in a buffer of its own, as fetch's bytes() does", async () => {
    const transport = undiciTransport()
    for (const path of ['/small', '/big']) {
      const response = await transport(request(path))
      const bytes = await response.body?.bytes()
      // Not a view into the socket's read buffer or Buffer's shared pool, whose other bytes
      // a caller reading `.buffer` would see.
      expect(bytes?.byteOffset).toBe(0)
      expect(bytes?.buffer.byteLength).toBe(bytes?.byteLength)
      expect(bytes?.byteLength).toBe(path === '/small' ? 10 : BIG)
    }
    await transport.close()
  })

  it('views a body whole to decode it, a single piece uncopied, and only once', async () => {
    const transport = undiciTransport()
    for (const path of ['/small', '/big']) {
      const response = await transport(request(path))
      const bytes = await response.body?.view?.()
      expect(bytes?.byteLength).toBe(path === '/small' ? 10 : BIG)
      await expect(response.body?.bytes() ?? Promise.resolve()).rejects.toThrow(/already read/)
    }
    await transport.close()
  })

  it('keeps a body read to its end once the exchange is over', async () => {
    const transport = undiciTransport()
    const controller = new AbortController()
    const response = await transport(request('/small', controller.signal))
    const bytes = await response.body?.bytes()
    controller.abort(new Error('too late'))
    expect(new TextDecoder().decode(bytes)).toBe('small body')
    await transport.close()
  })

  it('refuses a body already past the limit it is read with, and one that passes it while read', async () => {
    const transport = undiciTransport()
    const small = await transport(request('/small'))
    // Let the whole small body arrive before it is read.
    await new Promise((resolve) => setTimeout(resolve, 20))
    await expect(small.body?.bytes(4)).rejects.toBeInstanceOf(BodyTooLargeError)
    const large = await transport(request('/big'))
    await expect(large.body?.bytes(1024 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError)
    await transport.close()
  })
})

describe('a body that has all arrived', () => {
  it('is taken at once by viewNow, within its limit; read once, as any body', async () => {
    const transport = undiciTransport()
    const response = await transport(request('/small'))
    const body = response.body as NonNullable<typeof response.body>
    // Past its limit (10 bytes against 4), nothing is taken: the reader reads it as view() does.
    expect(body.viewNow?.(4)).toBeUndefined()
    const deadline = Date.now() + 5000
    let bytes: Uint8Array | undefined
    while (!bytes && Date.now() < deadline) {
      bytes = body.viewNow?.()
      if (!bytes) await new Promise((resolve) => setImmediate(resolve))
    }
    expect(new TextDecoder().decode(bytes)).toBe('small body')
    await expect(body.bytes()).rejects.toThrow(/already read/)
    await transport.close()
  })
})
