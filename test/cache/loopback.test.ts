/** The cache on the wire: an origin that counts its requests and the body bytes it sends. */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS, transportOption } from '../support/transports.ts'

let origin: LoopbackOrigin
const counts = { full: 0, notModified: 0, bodyBytes: 0 }
const document = JSON.stringify({
  items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })),
})
const etag = `"${createHash('sha1').update(document).digest('hex')}"`

function served(cacheControl: string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    request.resume()
    if (request.headers['if-none-match'] === etag) {
      counts.notModified += 1
      response.writeHead(304, { etag, 'cache-control': cacheControl }).end()
      return
    }
    counts.full += 1
    counts.bodyBytes += Buffer.byteLength(document)
    response
      .writeHead(200, { etag, 'cache-control': cacheControl, 'content-type': 'application/json' })
      .end(document)
  }
}

/** Opened by a test once it has read the first event: until then the stream sends nothing more. */
let gate = Promise.withResolvers<void>()
const EVENTS = [1, 2, 3, 4, 5].map((n) => `data: ${n}\n\n`)

/** An SSE stream with an ETag: one event, then (once the gate opens) four more, 150 ms apart. */
function events(request: IncomingMessage, response: ServerResponse) {
  request.resume()
  if (request.headers['if-none-match'] === '"e1"') {
    response.writeHead(304, { etag: '"e1"', 'cache-control': 'no-cache' }).end()
    return
  }
  response.writeHead(200, { etag: '"e1"', 'cache-control': 'no-cache', 'content-type': 'text/event-stream' })
  response.write(EVENTS[0])
  void gate.promise.then(async () => {
    for (const event of EVENTS.slice(1)) {
      await new Promise((resolve) => setTimeout(resolve, 150))
      response.write(event)
    }
    response.end()
  })
}

/** Reads a byte stream chunk by chunk, as text. */
function textReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  return {
    async read(): Promise<{ done: boolean; value: string }> {
      const { done, value } = await reader.read()
      return { done, value: done ? '' : decoder.decode(value, { stream: true }) }
    },
  }
}

beforeAll(async () => {
  origin = await startOrigin({
    '/revalidated': served('no-cache'),
    '/fresh': served('max-age=300'),
    '/malformed-no-cache': served('max-age=60, no-cache = "authorization"'),
    '/events': events,
  })
})
beforeEach(() => {
  Object.assign(counts, { full: 0, notModified: 0, bodyBytes: 0 })
})
afterAll(async () => {
  await origin.stop()
})

describe.each(TRANSPORTS)('against a counting origin, $name transport', ({ make }) => {
  it('sees one full response, then only 304s: the body crosses the wire once', async () => {
    const api = createClient({ ...transportOption(make), baseUrl: origin.url })
    const results = []
    for (let i = 0; i < 10; i++) results.push(await api.get('/revalidated'))
    expect(counts).toEqual({ full: 1, notModified: 9, bodyBytes: Buffer.byteLength(document) })
    expect(results.map((result) => result.meta.cache)).toEqual(['miss', ...Array(9).fill('revalidated')])
    expect(
      results.every((result) => result.kind === 'success' && JSON.stringify(result.data) === document),
    ).toBe(true)
  })

  it('revalidates a max-age response whose no-cache is malformed, as it does a well-formed one', async () => {
    const api = createClient({ ...transportOption(make), baseUrl: origin.url })
    for (let i = 0; i < 3; i++) await api.get('/malformed-no-cache')
    expect(counts).toEqual({ full: 1, notModified: 2, bodyBytes: Buffer.byteLength(document) })
  })

  it('a fresh entry costs no request at all', async () => {
    const api = createClient({ ...transportOption(make), baseUrl: origin.url })
    for (let i = 0; i < 10; i++) await api.get('/fresh')
    expect(counts).toEqual({ full: 1, notModified: 0, bodyBytes: Buffer.byteLength(document) })
  })

  it('bytes a caller changes are their own: the stored entry, and the next hit, keep the original', async () => {
    const api = createClient({ ...transportOption(make), baseUrl: origin.url })
    const results = []
    for (let i = 0; i < 3; i++) {
      const result = await api.get('/fresh', { responseType: 'bytes' })
      if (result.kind !== 'success') throw new Error(result.kind)
      results.push(new TextDecoder().decode(result.data))
      result.data.fill(0)
    }
    expect(results).toEqual([document, document, document])
    expect(counts.full).toBe(1)
    // A stream read as it is stored: the chunks the caller changes are not the store's either.
    const streamed = await api.get('/fresh', { responseType: 'stream', cache: 'reload' })
    if (streamed.kind !== 'success' || !streamed.data) throw new Error(streamed.kind)
    for await (const chunk of streamed.data) chunk.fill(0)
    const hit = await api.get('/fresh', { responseType: 'text' })
    expect(hit).toMatchObject({ kind: 'success', data: document, meta: { cache: 'hit' } })
  })

  it('a cacheable stream reaches the caller as it comes, past the attempt deadline, and is kept', async () => {
    gate = Promise.withResolvers<void>()
    const api = createClient({ ...transportOption(make), baseUrl: origin.url, timeout: { attempt: 300 } })
    const result = await api.get('/events', { responseType: 'stream' })
    if (result.kind !== 'success' || !result.data) throw new Error(`unexpected ${result.kind}`)
    const reader = textReader(result.data)
    // The first event is read while the server holds the rest back: nothing was buffered first.
    const first = await reader.read()
    expect(first.value).toBe(EVENTS[0])
    gate.resolve()
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value
    // 600 ms of events after a 300 ms attempt deadline: the caller's stream is not cut.
    expect(rest).toBe(EVENTS.slice(1).join(''))
    const again = await api.get('/events', { responseType: 'text' })
    expect(again).toMatchObject({ kind: 'success', data: EVENTS.join(''), meta: { cache: 'revalidated' } })
  })

  it('so does an SDK reading it through toFetch()', async () => {
    gate = Promise.withResolvers<void>()
    const fetch = createClient({ ...transportOption(make), timeout: { attempt: 300 }, cache: {} }).toFetch()
    const response = await fetch(`${origin.url}/events`)
    const reader = textReader(response.body as ReadableStream<Uint8Array>)
    expect((await reader.read()).value).toBe(EVENTS[0])
    gate.resolve()
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value
    expect(rest).toBe(EVENTS.slice(1).join(''))
  })

  it('fifty concurrent GETs of a cold entry send one request', async () => {
    const api = createClient({ ...transportOption(make), baseUrl: origin.url })
    const results = await Promise.all(Array.from({ length: 50 }, () => api.get('/fresh')))
    expect(counts.full).toBe(1)
    expect(results.every((result) => result.kind === 'success')).toBe(true)
  })
})
