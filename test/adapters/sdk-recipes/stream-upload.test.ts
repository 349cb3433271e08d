/**
 * A `Request` whose body is a stream of unknown length, as ky and the S3 SDK's fetch handler hand
 * one to fetch: a default `toFetch()` sends it as it is produced, chunked, on either transport,
 * and holds no more of it than the transport underneath: a few MiB on the undici transport.
 * (ky and the S3 SDK may keep a copy of such a body of their own: on global fetch too.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/index.ts'
import { fetchTransport } from '../../../src/transport.ts'
import { undiciTransport } from '../../../src/undici.ts'
import { heapAfterGc } from '../../support/heap.ts'
import { type LoopbackOrigin, startOrigin } from '../../support/loopback-origin.ts'
import { Received } from './counting.ts'

const MIB = 1024 * 1024
const SIZE = 70 * MIB

const received = new Received()
let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/upload': (request, response) => {
      received.add(request.headers)
      let length = 0
      request.on('data', (chunk: Buffer) => {
        length += chunk.byteLength
      })
      request.on('end', () => response.writeHead(201).end(JSON.stringify({ length })))
    },
  })
})

afterAll(() => origin.stop())

/** `SIZE` bytes made a MiB at a time as they are asked for, and how much was held half-way. */
function produced(): { body: ReadableStream<Uint8Array>; held: () => number } {
  const before = heapAfterGc()
  let length = 0
  let held = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      // Half-way, what is still held: a body read whole before sending would be 35 MiB of it.
      if (held === 0 && length >= SIZE / 2) held = heapAfterGc() - before
      if (length === SIZE) return controller.close()
      length += MIB
      controller.enqueue(new Uint8Array(MIB))
    },
  })
  return { body, held: () => held }
}

/** Sends 70 MiB through `fetch` as a streamed Request; what was held half-way. */
async function upload(fetch: typeof globalThis.fetch): Promise<number> {
  // Warmed first, so that what the first call loads and keeps is not counted as the body.
  await (await fetch(`${origin.url}/upload`, { method: 'POST', body: 'warm' })).text()
  const { body, held } = produced()
  const request = new Request(`${origin.url}/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit)
  const sent = await received.during(async () =>
    expect(await (await fetch(request)).json()).toEqual({ length: SIZE }),
  )
  expect(sent).toBe(1)
  expect(received.header('content-length')).toEqual([undefined])
  expect(received.header('transfer-encoding')).toEqual(['chunked'])
  return held()
}

describe('a stream upload of unknown length, 70 MiB produced as it is sent', { timeout: 30_000 }, () => {
  it('on the undici transport, goes out chunked, a few MiB of it held at a time', async () => {
    expect(await upload(createClient({ transport: undiciTransport() }).toFetch())).toBeLessThan(8 * MIB)
  })

  it("on the fetch transport, holds no more than the runtime's own fetch", async () => {
    // Node's fetch (undici 7 and before) keeps a streamed upload whole until its response
    // (nodejs/undici#4058): the fetch transport can hold no less, and adds nothing to it.
    const floor = await upload(globalThis.fetch)
    // The connection holds its last request until it sends the next: a small one lets that go.
    await (await fetch(`${origin.url}/upload`, { method: 'POST', body: '' })).text()
    expect(await upload(createClient({ transport: fetchTransport() }).toFetch())).toBeLessThan(
      floor + 8 * MIB,
    )
  })
})
