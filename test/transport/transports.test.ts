/**
 * The undici transport gives the same results as the fetch transport: every seed status, every
 * body type, request bodies of every kind, compression, redirects, network failures, against one
 * real loopback origin.
 */
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { fetchTransport } from '../../src/transport.ts'
import { undiciTransport } from '../../src/undici.ts'
import { closedPort, type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/status': (request, response) => {
      const status = Number(new URL(request.url ?? '', 'http://x').searchParams.get('code'))
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (status === 201 || (status >= 300 && status < 400)) headers.location = '/created/1'
      if (status === 429 || status === 503) headers['retry-after'] = '120'
      if (status === 422) headers['content-type'] = 'application/problem+json'
      response
        .writeHead(status, headers)
        .end(status === 204 || status === 304 ? undefined : `{"status":${status}}`)
    },
    '/early-hints': (_request, response) => {
      response.writeProcessing()
      response.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' })
      response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' }).end('final')
    },
    '/echo': (request, response) => {
      let body = ''
      request.setEncoding('latin1')
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        const { method, headers } = request
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ method, contentType: headers['content-type'] ?? null, body }))
      })
    },
    '/gzip': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
        .end(gzipSync('unzipped'))
    },
    // Raw deflate under the name deflate, as servers have long sent it, and zlib, as RFC 9110 says;
    // outermost of two codings; and long enough to arrive in many chunks.
    '/deflate-raw': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'deflate' })
        .end(deflateRawSync('inflated'))
    },
    '/deflate-zlib': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'deflate' })
        .end(deflateSync('inflated'))
    },
    '/gzip-then-deflate-raw': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip, deflate' })
        .end(deflateRawSync(gzipSync('twice')))
    },
    '/deflate-raw-long': (_request, response) => {
      const text = Array.from({ length: 50_000 }, (_, i) => `line ${i}\n`).join('')
      response
        .writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'deflate' })
        .end(deflateRawSync(text))
    },
    '/deflate-raw-bomb': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'deflate' })
        .end(deflateRawSync(Buffer.alloc(64 * 1024 * 1024)))
    },
    '/bytes': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([1, 2, 3]))
    },
    '/latin1': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/plain; charset=latin1' })
        .end(Buffer.from([0x63, 0x61, 0x66, 0xe9]))
    },
    '/hop': (_request, response) => {
      response.writeHead(307, { location: '/echo' }).end()
    },
    '/big-503': (request, response) => {
      request.resume()
      response
        .writeHead(503, { 'content-type': 'application/octet-stream' })
        .end(Buffer.alloc(4 * 1024 * 1024))
    },
    '/reset': (request) => {
      request.socket.destroy()
    },
    '/truncated': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '50' }).write('{"a":')
      setTimeout(() => response.socket?.destroy(), 10)
    },
  })
})

afterAll(async () => {
  await origin.stop()
})

const undici = undiciTransport()
const clients = () => [
  createClient({
    baseUrl: origin.url,
    retry: false,
    redirect: { follow: 'never' },
    cache: false,
    transport: fetchTransport(),
  }),
  createClient({
    baseUrl: origin.url,
    retry: false,
    redirect: { follow: 'never' },
    cache: false,
    transport: undici,
  }),
]

/**
 * What a user reads off a result, headers included, less the timings, the moment (`date`) and the
 * transport-specific error objects.
 */
function visible(result: Result) {
  const { meta, ...fields } = result as Result & { headers?: Headers; error?: unknown }
  const copy: Record<string, unknown> = { ...fields, url: meta.request.url, attempts: meta.attempts.length }
  if (fields.headers)
    copy.headers = Object.fromEntries([...fields.headers].filter(([name]) => name !== 'date'))
  delete copy.error
  if ('location' in copy) copy.location = String(copy.location)
  // The two calls ran a moment apart: the wait is the same, the moment it ends is not.
  if (copy.retryAfter) copy.retryAfter = (copy.retryAfter as { ms: number }).ms
  if (copy.data instanceof Uint8Array) copy.data = Array.from(copy.data)
  return copy
}

async function both(path: string, init?: Parameters<ReturnType<typeof createClient>['request']>[1]) {
  const [viaFetch, viaUndici] = await Promise.all(clients().map((client) => client.request(path, init)))
  return { viaFetch: visible(viaFetch as Result), viaUndici: visible(viaUndici as Result) }
}

describe('the undici transport returns what the fetch transport returns', () => {
  it.each([
    200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409, 422, 429, 500, 501, 502, 503, 504,
  ])('status %i', async (code) => {
    const { viaFetch, viaUndici } = await both(`/status?code=${code}`)
    expect(viaUndici).toEqual(viaFetch)
    expect(viaFetch.status).toBe(code)
  })

  it.each([
    '/gzip',
    '/bytes',
    '/latin1',
    '/deflate-raw',
    '/deflate-zlib',
    '/gzip-then-deflate-raw',
    '/deflate-raw-long',
  ])('the body of %s', async (path) => {
    const { viaFetch, viaUndici } = await both(path)
    expect(viaUndici).toEqual(viaFetch)
    expect(viaFetch.kind).toBe('success')
  })

  it('a long raw deflate body read as a stream, slowly, arrives whole on both', async () => {
    for (const client of clients()) {
      const result = await client.get('/deflate-raw-long', { responseType: 'stream' })
      if (result.kind !== 'success') throw new Error(result.kind)
      let text = ''
      const decoder = new TextDecoder()
      for await (const chunk of result.data ?? []) {
        text += decoder.decode(chunk, { stream: true })
        await new Promise((resolve) => setImmediate(resolve))
      }
      expect(text.split('\n')).toHaveLength(50_001)
      expect(text.endsWith('line 49999\n')).toBe(true)
    }
  })

  it('a raw deflate bomb stops at maxBodySize on both', async () => {
    const results = await Promise.all(
      clients().map((client) =>
        client.get('/deflate-raw-bomb', { responseType: 'bytes', maxBodySize: 1024 * 1024 }),
      ),
    )
    for (const result of results)
      expect(result).toMatchObject({ kind: 'invalid-response', reason: 'body-too-large' })
  })

  it('bytes are a plain Uint8Array on both, not a Buffer', async () => {
    const results = await Promise.all(
      clients().map((client) => client.get('/bytes', { responseType: 'bytes' })),
    )
    for (const result of results) {
      if (result.kind !== 'success') throw new Error(result.kind)
      expect(Object.getPrototypeOf(result.data)).toBe(Uint8Array.prototype)
    }
  })

  it.each([
    ['a string', () => 'plain'],
    ['bytes', () => new Uint8Array([104, 105])],
    ['URLSearchParams', () => new URLSearchParams({ q: 'a b' })],
    ['a Blob', () => new Blob(['blob'], { type: 'text/x-blob' })],
    ['a stream', () => new Response('streamed').body],
  ])('a request body of %s, with the Content-Type fetch sets', async (_name, body) => {
    const [viaFetch, viaUndici] = await Promise.all(
      clients().map((client) => client.post('/echo', { body: body() as BodyInit })),
    )
    expect(visible(viaUndici as Result)).toEqual(visible(viaFetch as Result))
  })

  it('a JSON body and a HEAD', async () => {
    expect((await both('/echo', { method: 'PUT', json: { a: 1 } })).viaUndici).toMatchObject({
      data: { method: 'PUT', contentType: 'application/json', body: '{"a":1}' },
    })
    const head = await both('/status?code=200', { method: 'HEAD' })
    expect(head.viaUndici).toEqual(head.viaFetch)
  })

  it.each([
    ['GET', 204],
    ['GET', 205],
    ['GET', 304],
    ['HEAD', 200],
  ])(
    'no body at all for %s with %i, as fetch gives none (a cache waits for no stream to end)',
    async (method, code) => {
      const bodies = await Promise.all(
        [fetchTransport(), undiciTransport()].map(async (transport) => {
          const sent = await transport({
            url: new URL(`/status?code=${code}`, origin.url),
            method,
            headers: new Headers(),
            body: null,
            signal: new AbortController().signal,
          })
          return sent.body
        }),
      )
      expect(bodies).toEqual([null, null])
    },
  )

  it('a refused redirect and a followed one', async () => {
    const refused = await both('/hop')
    expect(refused.viaUndici).toEqual(refused.viaFetch)
    const follow = (transport?: ReturnType<typeof undiciTransport>) =>
      createClient({ baseUrl: origin.url, retry: false, transport: transport ?? fetchTransport() }).post(
        '/hop',
        {
          body: 'x',
        },
      )
    const [viaFetch, viaUndici] = await Promise.all([follow(), follow(undici)])
    expect(visible(viaUndici)).toEqual(visible(viaFetch))
    expect(viaUndici).toMatchObject({ kind: 'success', data: { method: 'POST', body: 'x' } })
  })

  it('network failures and cut bodies', async () => {
    const port = await closedPort()
    const refused = await both(`http://127.0.0.1:${port}/`)
    expect(refused.viaUndici).toMatchObject({ kind: 'network-error', code: 'ECONNREFUSED' })
    expect(refused.viaFetch).toMatchObject({ kind: 'network-error', code: 'ECONNREFUSED' })
    const reset = await both('/reset')
    expect([reset.viaFetch.kind, reset.viaUndici.kind]).toEqual(['network-error', 'network-error'])
    const truncated = await both('/truncated')
    expect(truncated.viaUndici).toMatchObject({ kind: 'invalid-response', reason: 'truncated-body' })
    expect(truncated.viaFetch).toMatchObject({ kind: 'invalid-response', reason: 'truncated-body' })
  })

  it('a long body cancelled unread fails nothing and crashes nothing', async () => {
    const api = createClient({
      baseUrl: origin.url,
      transport: undici,
      retry: { limit: 1, backoff: { initial: 1, max: 1, jitter: 'none' }, budget: false },
    })
    // The first 503's 4 MiB body is cancelled before the retry; the second is the result.
    const retried = await api.get('/big-503', { responseType: 'none' })
    expect(retried).toMatchObject({ kind: 'server-error', status: 503 })
    expect(retried.meta.attempts).toHaveLength(2)
    const streamed = await api.get('/big-503', { responseType: 'stream', retry: false })
    if (streamed.kind !== 'server-error') throw new Error(streamed.kind)
    await (streamed.data as ReadableStream).cancel()
    // An unhandled 'error' from the cancelled body would surface here, failing the run.
    await new Promise((resolve) => setTimeout(resolve, 50))
  })

  it('deadlines and aborts', async () => {
    const never = (transport?: ReturnType<typeof undiciTransport>) =>
      createClient({ retry: false, timeout: { attempt: 50 }, transport: transport ?? fetchTransport() })
    const server = createServer(() => {})
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const results = await Promise.all([never().get(url), never(undici).get(url)])
    expect(results.map((result) => result.kind)).toEqual(['timeout', 'timeout'])
    const aborted = await Promise.all([
      never().get(url, { signal: AbortSignal.timeout(20) }),
      never(undici).get(url, { signal: AbortSignal.timeout(20) }),
    ])
    // fetch's idiom for a deadline is a timeout, the caller's own.
    expect(aborted).toMatchObject([
      { kind: 'timeout', phase: 'signal', limit: null },
      { kind: 'timeout', phase: 'signal', limit: null },
    ])
    const controller = new AbortController()
    const gaveUp = [
      never().get(url, { signal: controller.signal }),
      never(undici).get(url, { signal: controller.signal }),
    ]
    controller.abort()
    expect((await Promise.all(gaveUp)).map((result) => result.kind)).toEqual(['aborted', 'aborted'])
    server.closeAllConnections()
    server.close()
  })
})

describe('what a call takes besides a URL and BodyInit', () => {
  it('a Request: its URL, method, headers, body and signal, the options overriding', async () => {
    for (const client of clients()) {
      const input = new Request(`${origin.url}/echo`, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain', 'x-from': 'request' },
        body: 'from the request',
      })
      const result = await client.request(input, { headers: { 'content-type': 'text/x-mine' } })
      expect(result).toMatchObject({
        kind: 'success',
        data: { method: 'PUT', contentType: 'text/x-mine', body: 'from the request' },
      })
      expect(await client.get(new Request(`${origin.url}/status?code=204`))).toMatchObject({ status: 204 })
      const controller = new AbortController()
      controller.abort()
      const aborted = await client.get(new Request(`${origin.url}/echo`, { signal: controller.signal }))
      expect(aborted.kind).toBe('aborted')
    }
  })

  it('a Node Readable, a file stream, or an async generator of bytes and strings, as a stream', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fetchkind-'))
    const file = join(dir, 'upload.txt')
    await writeFile(file, 'file contents')
    async function* parts() {
      yield 'text, '
      yield new TextEncoder().encode('bytes')
    }
    for (const client of clients()) {
      const readable = await client.post('/echo', {
        body: Readable.from([Buffer.from('a'), Buffer.from('b')]),
      })
      expect(readable).toMatchObject({ kind: 'success', data: { body: 'ab' } })
      const fromFile = await client.post('/echo', { body: createReadStream(file) })
      expect(fromFile).toMatchObject({ kind: 'success', data: { body: 'file contents' } })
      const generated = await client.put('/echo', { body: parts() })
      expect(generated).toMatchObject({ kind: 'success', data: { method: 'PUT', body: 'text, bytes' } })
    }
    await rm(dir, { recursive: true })
  })
})

describe('QUERY', () => {
  it('sends its body on both transports, and is retried by default as GET is', async () => {
    let calls = 0
    const query = await startOrigin({
      '/search': (request, response) => {
        let body = ''
        request.setEncoding('utf8')
        request.on('data', (chunk) => (body += chunk))
        request.on('end', () => {
          calls += 1
          // Every other request is refused once: the retry sends the same body again.
          if (calls % 2 === 1) return void response.writeHead(503, { 'retry-after': '0' }).end()
          response.writeHead(200, { 'content-type': 'application/json' })
          response.end(JSON.stringify({ method: request.method, body }))
        })
      },
    })
    for (const transport of [fetchTransport(), undici]) {
      const api = createClient({ baseUrl: query.url, transport, retry: { budget: false } })
      const result = await api.query('/search', { json: { name: 'ada' } })
      expect(result).toMatchObject({ kind: 'success', data: { method: 'QUERY', body: '{"name":"ada"}' } })
      expect(result.meta.attempts.map((attempt) => attempt.status)).toEqual([503, 200])
      // Any case is sent in capitals, as GET's is.
      const lower = await api.request('/search', { method: 'query', json: {}, retry: 1 })
      expect(lower).toMatchObject({ kind: 'success', data: { method: 'QUERY' } })
    }
    await query.stop()
  })
})

describe('interim responses (1xx)', () => {
  it('are told to afterInterim on the undici transport, in order, and never cached', async () => {
    const seen: string[] = []
    const client = createClient({
      transport: undiciTransport(),
      hooks: {
        afterInterim: ({ status, headers, url }) =>
          void seen.push(`${status} ${headers.get('link')} ${url.pathname}`),
      },
    })
    const result = await client.get(`${origin.url}/early-hints`, { responseType: 'text' })
    expect(result).toMatchObject({ kind: 'success', status: 200, data: 'final' })
    expect(seen).toEqual(['102 null /early-hints', '103 </style.css>; rel=preload; as=style /early-hints'])
    expect(await client.get(`${origin.url}/early-hints`, { responseType: 'text' })).toMatchObject({
      data: 'final',
      meta: { cache: 'hit' },
    })
    expect(seen).toHaveLength(2)
  })

  it('a hook that throws ends the call as hook-error', async () => {
    const client = createClient({ transport: undiciTransport(), cache: false, retry: false })
    const failure = new Error('no hints, thanks')
    const result = await client.get(`${origin.url}/early-hints`, {
      hooks: {
        afterInterim: () => {
          throw failure
        },
      },
    })
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'afterInterim', error: failure })
  })

  it('are not seen on the fetch transport, which fetch keeps them from', async () => {
    const seen: number[] = []
    const client = createClient({
      transport: fetchTransport(),
      hooks: { afterInterim: ({ status }) => void seen.push(status) },
    })
    expect(await client.get(`${origin.url}/early-hints`, { responseType: 'text' })).toMatchObject({
      data: 'final',
    })
    expect(seen).toEqual([])
  })
})

describe("a request's own dispatcher", () => {
  it('carries every hop on the undici transport, decompressed as its own are', async () => {
    const { Agent } = await import('undici')
    const agent = new Agent()
    const sent: string[] = []
    // A proxy agent or a mock in practice; here an Agent that says what it was given.
    const dispatcher = {
      dispatch: (options: { method: string; path: string }, handler: never) => {
        sent.push(`${options.method} ${options.path}`)
        return agent.dispatch(options as never, handler)
      },
    }
    const client = createClient({ baseUrl: origin.url, retry: false, cache: false, transport: undici })
    const result = await client.get('/hop', { dispatcher: dispatcher as never })
    expect(result).toMatchObject({ kind: 'success' })
    expect(sent).toEqual(['GET /hop', 'GET /echo'])
    const gzip = await client.get('/gzip', { dispatcher: dispatcher as never })
    if (gzip.kind !== 'success') throw new Error(gzip.kind)
    expect([gzip.data, gzip.headers.get('content-encoding')]).toEqual(['unzipped', 'gzip'])
    await agent.close()
  })

  it('is a TypeError at the call when it is not one', () => {
    const client = createClient({ baseUrl: origin.url })
    expect(() => client.get('/json', { dispatcher: {} as never })).toThrow(/"dispatcher"/)
  })
})
