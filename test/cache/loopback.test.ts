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

beforeAll(async () => {
  origin = await startOrigin({ '/revalidated': served('no-cache'), '/fresh': served('max-age=300') })
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

  it('a fresh entry costs no request at all', async () => {
    const api = createClient({ ...transportOption(make), baseUrl: origin.url })
    for (let i = 0; i < 10; i++) await api.get('/fresh')
    expect(counts).toEqual({ full: 1, notModified: 0, bodyBytes: Buffer.byteLength(document) })
  })

  it('fifty concurrent GETs of a cold entry send one request', async () => {
    const api = createClient({ ...transportOption(make), baseUrl: origin.url })
    const results = await Promise.all(Array.from({ length: 50 }, () => api.get('/fresh')))
    expect(counts.full).toBe(1)
    expect(results.every((result) => result.kind === 'success')).toBe(true)
  })
})
