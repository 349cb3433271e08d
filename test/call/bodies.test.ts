import { describe, expect, it } from 'vitest'
import { bodyHandlers } from '../../mocks/index.ts'
import { createClient, type Result } from '../../src/index.ts'
import type { Transport } from '../../src/transport.ts'
import { useMockServer } from '../support/msw.ts'

const origin = 'http://bodies.test'
useMockServer(...bodyHandlers(origin))
// Retries are test/retry.test.ts's concern; a retried 502 here would wait on the wall clock.
const client = createClient({ baseUrl: origin, retry: false })

describe("responseType 'auto'", () => {
  it('parses application/json', async () => {
    expect(await client.get('/json')).toMatchObject({ kind: 'success', data: { name: 'Ada', id: 42 } })
  })

  it('parses a +json media type', async () => {
    expect(await client.get('/vendor-json')).toMatchObject({ kind: 'success', data: { ok: true } })
  })

  it('reads text/* as text', async () => {
    expect(await client.get('/text')).toMatchObject({ kind: 'success', data: 'plain words' })
  })

  it('decodes text in the charset the Content-Type names', async () => {
    expect(await client.get('/latin1')).toMatchObject({ kind: 'success', data: 'café' })
  })

  it('returns any other type as bytes', async () => {
    const result = await client.get('/bytes')
    expect(result.kind).toBe('success')
    if (result.kind === 'success') expect(result.data).toEqual(new Uint8Array([0, 1, 2, 255]))
  })

  it('drops a UTF-8 byte order mark before parsing JSON', async () => {
    expect(await client.get('/bom-json')).toMatchObject({ kind: 'success', data: { bom: true } })
  })

  it('gives an empty JSON body as undefined, not a parse failure', async () => {
    expect(await client.get('/empty-json')).toMatchObject({ kind: 'success', data: undefined })
  })
})

describe('explicit response types', () => {
  it("'text' reads JSON as its text", async () => {
    expect(await client.get('/json', { responseType: 'text' })).toMatchObject({
      data: '{"name":"Ada","id":42}',
    })
  })

  it("'json' parses whatever the Content-Type and sends Accept: application/json", async () => {
    expect(await client.get('/echo', { responseType: 'json' })).toMatchObject({
      kind: 'success',
      data: { headers: { accept: 'application/json' } },
    })
    expect(await client.get('/text', { responseType: 'json' })).toMatchObject({
      kind: 'invalid-response',
      reason: 'malformed-body',
      text: 'plain words',
    })
  })

  it("'bytes' returns a Uint8Array", async () => {
    const result = await client.get('/text', { responseType: 'bytes' })
    if (result.kind !== 'success') throw new Error(result.kind)
    expect(new TextDecoder().decode(result.data)).toBe('plain words')
  })

  it("'stream' hands over the body unread", async () => {
    const result = await client.get('/json', { responseType: 'stream' })
    if (result.kind !== 'success' || !result.data) throw new Error('expected a stream')
    expect(result.data).toBeInstanceOf(ReadableStream)
    expect(await new Response(result.data).json()).toEqual({ name: 'Ada', id: 42 })
  })

  it("'none' discards the body", async () => {
    expect(await client.get('/json', { responseType: 'none' })).toMatchObject({
      kind: 'success',
      data: undefined,
    })
  })

  it('a client-wide responseType applies unless a request overrides it', async () => {
    const textClient = createClient({ baseUrl: origin, responseType: 'text' })
    expect(await textClient.get('/json')).toMatchObject({ data: '{"name":"Ada","id":42}' })
    expect(await textClient.get('/json', { responseType: 'json' })).toMatchObject({
      data: { name: 'Ada', id: 42 },
    })
  })
})

describe('bodies that fail to decode', () => {
  it('a success whose JSON does not parse is invalid-response with the raw text kept', async () => {
    const result = await client.get('/malformed-json')
    expect(result).toMatchObject({ kind: 'invalid-response', reason: 'malformed-body', status: 200 })
    if (result.kind !== 'invalid-response') return
    expect(result.text).toBe('{"name": "Ada",')
    expect(result.error).toBeInstanceOf(SyntaxError)
    expect(result.headers.get('content-type')).toBe('application/json')
  })

  it('an error status whose JSON does not parse keeps its kind, with the text as data', async () => {
    expect(await client.get('/malformed-json-error')).toMatchObject({
      kind: 'server-error',
      status: 502,
      data: '<html>Bad Gateway</html>',
    })
  })
})

describe('RFC 9457 problem details', () => {
  it('ignores members of the wrong type and keeps extensions', async () => {
    const result = await client.get('/problem-garbage')
    if (result.kind !== 'client-error') throw new Error(result.kind)
    expect(result.problem).toEqual({ type: 'about:blank', title: 'Out of credit', balance: 30 })
  })
})

describe('request bodies', () => {
  it('json sends the value serialised with content-type application/json', async () => {
    const result = await client.post('/echo', { json: { a: 1 } })
    expect(result).toMatchObject({
      kind: 'success',
      data: { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } },
    })
  })

  it('json keeps a content type the caller set', async () => {
    const result = await client.put('/echo', {
      json: [1],
      headers: { 'content-type': 'application/merge-patch+json' },
    })
    expect(result).toMatchObject({ data: { headers: { 'content-type': 'application/merge-patch+json' } } })
  })

  it('body sends any BodyInit as fetch does', async () => {
    const result = await client.patch('/echo', { body: new URLSearchParams({ q: 'a b' }) })
    expect(result).toMatchObject({
      data: {
        method: 'PATCH',
        body: 'q=a+b',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      },
    })
  })

  it('a stream body is sent', async () => {
    const body = new Response('streamed').body
    const result = await client.post('/echo', { body })
    expect(result).toMatchObject({ data: { body: 'streamed' } })
  })
})

describe('methods', () => {
  it.each([
    ['get', 'GET'],
    ['post', 'POST'],
    ['put', 'PUT'],
    ['patch', 'PATCH'],
    ['delete', 'DELETE'],
    ['options', 'OPTIONS'],
  ] as const)('client.%s sends %s', async (name, method) => {
    const send = client[name] as (input: string) => Promise<Result>
    const result = await send('/echo')
    expect(result).toMatchObject({ kind: 'success', data: { method }, meta: { request: { method } } })
  })

  it('request() upper-cases a standard method given in lower case', async () => {
    expect(await client.request('/echo', { method: 'patch' })).toMatchObject({ data: { method: 'PATCH' } })
  })
})

describe('parseJson and stringifyJson', () => {
  /** Writes a BigInt as its digits, as a service with 64-bit ids needs. */
  const bigIntWriter = (value: unknown) =>
    JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item))

  it('read and write JSON in place of JSON.parse and JSON.stringify, per client and per request', async () => {
    const api = createClient({ baseUrl: origin, retry: false, stringifyJson: bigIntWriter })
    const sent = await api.post<{ body: string }>('/echo', { json: { id: 2n ** 64n } })
    if (sent.kind !== 'success') throw new Error(sent.kind)
    expect(sent.data.body).toBe('{"id":"18446744073709551616"}')
    const read = await api.post<{ body: string }>('/echo', {
      body: 'x',
      parseJson: (text) => ({ ...JSON.parse(text), body: 'read by mine' }),
    })
    expect(read).toMatchObject({ kind: 'success', data: { body: 'read by mine' } })
    // The client's own parser, for a request that names none.
    const mine = createClient({ baseUrl: origin, retry: false, parseJson: () => 'parsed' })
    expect(await mine.get('/json')).toMatchObject({ kind: 'success', data: 'parsed' })
  })

  it('a parser that throws makes a success malformed-body, the text kept', async () => {
    const error = new SyntaxError('refused by the parser')
    const result = await client.get('/json', {
      parseJson: () => {
        throw error
      },
    })
    expect(result).toMatchObject({
      kind: 'invalid-response',
      reason: 'malformed-body',
      error,
      text: '{"name":"Ada","id":42}',
    })
  })

  it('are checked at the call', () => {
    expect(() => createClient({ parseJson: 'JSON.parse' as never })).toThrow(/"parseJson" must be a function/)
    expect(() => client.post('/echo', { json: 1, stringifyJson: 1 as never })).toThrow(/"stringifyJson"/)
    expect(() => client.post('/echo', { json: 1, stringifyJson: () => undefined as never })).toThrow(/"json"/)
  })
})

describe('reading a body once, copied only for the caller', () => {
  /** A transport whose one body counts how it is read, `view` (no copy) or `bytes`. */
  function countingTransport(contentType: string) {
    const reads: string[] = []
    const payload = new TextEncoder().encode('{"n":1}')
    const transport: Transport = async () => ({
      status: 200,
      statusText: 'OK',
      headers: new Headers({ 'content-type': contentType, 'content-length': String(payload.byteLength) }),
      body: {
        bytes: async () => {
          reads.push('bytes')
          return payload.slice()
        },
        view: async () => {
          reads.push('view')
          return payload
        },
        stream: () => new Response(payload).body as ReadableStream<Uint8Array>,
      },
    })
    return { transport, reads }
  }

  it("decodes JSON and text from a transport's `view`, and gives 'bytes' from `bytes`", async () => {
    for (const [type, responseType, read] of [
      ['application/json', 'auto', 'view'],
      ['text/plain', 'text', 'view'],
      ['application/octet-stream', 'auto', 'bytes'],
      ['application/json', 'bytes', 'bytes'],
    ] as const) {
      const { transport, reads } = countingTransport(type)
      const api = createClient({ transport, cache: false, retry: false })
      const result = await api.get('http://view.test/', { responseType })
      expect(result.kind).toBe('success')
      expect(reads).toEqual([read])
    }
  })

  it("gives every cache hit's caller bytes of its own: changing them changes no later hit", async () => {
    const { transport } = countingTransport('application/octet-stream')
    const cached: Transport = async (request) => {
      const response = await transport(request)
      return { ...response, headers: new Headers([...response.headers, ['cache-control', 'max-age=60']]) }
    }
    const api = createClient({ transport: cached, retry: false })
    const first = await api.get<Uint8Array>('http://view.test/bytes')
    const hit = await api.get<Uint8Array>('http://view.test/bytes')
    expect(hit.meta.cache).toBe('hit')
    if (hit.kind !== 'success' || first.kind !== 'success') throw new Error('expected successes')
    hit.data.fill(0)
    const again = await api.get<Uint8Array>('http://view.test/bytes')
    expect(again.kind === 'success' && new TextDecoder().decode(again.data)).toBe('{"n":1}')
  })
})
