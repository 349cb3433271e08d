/**
 * onUploadProgress and onDownloadProgress on both transports, against a real loopback origin,
 * with bodies large enough to be reported several times.
 */
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import type { Progress } from '../../src/options/types.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS } from '../support/transports.ts'

const MIB = 1024 * 1024
const large = new Uint8Array(MIB).map((_, index) => index % 251)

let origin: LoopbackOrigin
let attempts = 0

beforeAll(async () => {
  origin = await startOrigin({
    '/large': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': MIB })
      // Written in pieces, so that the client reads it in several chunks.
      for (let offset = 0; offset < MIB; offset += 64 * 1024)
        response.write(large.subarray(offset, offset + 64 * 1024))
      response.end()
    },
    '/gzip': (_request, response) => {
      const zipped = gzipSync(large)
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-encoding': 'gzip',
        'content-length': zipped.byteLength,
      })
      response.end(zipped)
    },
    '/upload': (request, response) => {
      attempts += 1
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const body = Buffer.concat(chunks)
        // The first attempt of ?fail=1 is a 503, so that the body must be sent again.
        const fail = request.url?.includes('fail=1') && attempts === 1
        response.writeHead(fail ? 503 : 200, { 'content-type': 'application/json', 'retry-after': '0' })
        response.end(
          JSON.stringify({
            length: body.byteLength,
            intact: body.equals(Buffer.from(large.subarray(0, body.byteLength))),
            text: body.byteLength < 100 ? body.toString() : null,
            contentLength: request.headers['content-length'] ?? null,
            chunked: request.headers['transfer-encoding'] === 'chunked',
            contentType: request.headers['content-type'] ?? null,
          }),
        )
      })
    },
  })
})

afterAll(() => origin.stop())

function recorder(): { events: Progress[]; listener: (progress: Progress) => void } {
  const events: Progress[] = []
  return { events, listener: (progress) => events.push(progress) }
}

/** What every sequence of events shares: starts at 0, only grows, ends once, done and whole. */
function expectWellFormed(events: Progress[], size: number, total: number | undefined): void {
  expect(events.length).toBeGreaterThanOrEqual(4)
  expect(events[0]).toEqual({
    transferred: 0,
    total,
    percent: total === undefined ? undefined : 0,
    done: false,
  })
  for (const [index, event] of events.entries()) {
    if (index > 0) expect(event.transferred).toBeGreaterThanOrEqual(events[index - 1]?.transferred ?? 0)
    expect(event.done).toBe(index === events.length - 1)
  }
  expect(events.at(-1)).toEqual({ transferred: size, total: size, percent: 1, done: true })
}

describe.each(TRANSPORTS)('on the $name transport', ({ make }) => {
  const call = () => createClient({ baseUrl: origin.url, transport: make(), retry: false, cache: false })

  it('onDownloadProgress is told of a large body as it arrives, with its Content-Length as total', async () => {
    const { events, listener } = recorder()
    const result = await call().get('/large', { onDownloadProgress: listener })
    expect(result.kind).toBe('success')
    if (result.kind === 'success') expect(result.data).toEqual(large)
    expectWellFormed(events, MIB, MIB)
    expect(events.filter((event) => !event.done).at(-1)?.percent).toBe(1)
  })

  it('a compressed body has no total until its end (its Content-Length counts compressed bytes)', async () => {
    const { events, listener } = recorder()
    const result = await call().get('/gzip', { onDownloadProgress: listener })
    expect(result.kind).toBe('success')
    expect(events.length).toBeGreaterThanOrEqual(3)
    expect(
      events.slice(0, -1).every((event) => event.total === undefined && event.percent === undefined),
    ).toBe(true)
    expect(events.at(-1)).toEqual({ transferred: MIB, total: MIB, percent: 1, done: true })
  })

  it("with responseType 'stream', progress follows the caller's reads", async () => {
    const { events, listener } = recorder()
    const result = await call().get('/large', { responseType: 'stream', onDownloadProgress: listener })
    expect(events).toEqual([])
    if (result.kind !== 'success' || !result.data) throw new Error(`expected a stream, got ${result.kind}`)
    const reader = result.data.getReader()
    const first = await reader.read()
    expect(events.at(-1)?.transferred).toBe(first.value?.byteLength)
    await reader.cancel()
  })

  it('a download listener that throws ends the call as hook-error, naming it', async () => {
    const thrown = new Error('progress bar broke')
    let calls = 0
    const result = await call().get('/large', {
      onDownloadProgress: () => {
        calls += 1
        if (calls === 2) throw thrown
      },
    })
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'onDownloadProgress', error: thrown })
    expect(calls).toBe(2)
  })

  it('onUploadProgress is told of a large body as the transport takes it; the server gets it whole, with its length', async () => {
    const { events, listener } = recorder()
    const result = await call().post('/upload', { body: large, onUploadProgress: listener })
    expect(result).toMatchObject({
      kind: 'success',
      data: { length: MIB, intact: true, contentLength: String(MIB), chunked: false },
    })
    expectWellFormed(events, MIB, MIB)
    expect(events.length).toBeGreaterThanOrEqual(16)
  })

  it('a counted string or form keeps the Content-Type fetch gives it', async () => {
    const text = await call().post('/upload', { body: 'hello', onUploadProgress: () => {} })
    expect(text).toMatchObject({
      data: { text: 'hello', contentType: 'text/plain;charset=UTF-8', contentLength: '5' },
    })
    const form = await call().post('/upload', {
      body: new URLSearchParams({ a: '1' }),
      onUploadProgress: () => {},
    })
    expect(form).toMatchObject({
      data: { text: 'a=1', contentType: 'application/x-www-form-urlencoded;charset=UTF-8' },
    })
  })

  it("a stream's total is known only at its end", async () => {
    const { events, listener } = recorder()
    const pieces = [large.subarray(0, MIB / 2), large.subarray(MIB / 2)]
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = pieces.shift()
        if (piece) controller.enqueue(piece)
        else controller.close()
      },
    })
    const result = await call().post('/upload', { body, onUploadProgress: listener })
    expect(result).toMatchObject({ kind: 'success', data: { length: MIB, intact: true } })
    expectWellFormed(events, MIB, undefined)
  })

  it('an upload listener that throws ends the call as hook-error, naming it', async () => {
    const thrown = new Error('upload bar broke')
    const result = await call().post('/upload', {
      body: large,
      onUploadProgress: (progress) => {
        if (progress.transferred > 0) throw thrown
      },
    })
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'onUploadProgress', error: thrown })
  })

  it("a retried attempt sends the body again from the start, and says so; a client's listener serves every call", async () => {
    attempts = 0
    const { events, listener } = recorder()
    const retrying = createClient({
      baseUrl: origin.url,
      transport: make(),
      cache: false,
      retry: { limit: 1, methods: ['POST'], backoff: { initial: 0, max: 0 } },
      onUploadProgress: listener,
    })
    const result = await retrying.post('/upload?fail=1', { body: large })
    expect(result).toMatchObject({ kind: 'success', data: { length: MIB, intact: true } })
    expect(result.meta.attempts).toHaveLength(2)
    expect(events.filter((event) => event.done)).toHaveLength(2)
    expect(events.filter((event) => event.transferred === 0)).toHaveLength(2)
  })
})

describe('progress options', () => {
  it.each(['onUploadProgress', 'onDownloadProgress'])(
    '%s that is not a function is a TypeError naming it',
    (name) => {
      expect(() => createClient({ [name]: 'yes' })).toThrow(new RegExp(`"${name}"`))
      expect(() => createClient().get('http://127.0.0.1:1/', { [name]: 42 })).toThrow(new RegExp(`"${name}"`))
    },
  )
})
