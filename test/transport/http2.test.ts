/**
 * HTTP/2 on the undici transport against a real `node:http2` secure server: negotiated by ALPN,
 * recorded per attempt in `meta`, and its failures — a refused stream, a GOAWAY, a reset stream —
 * each classified.
 */
import http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { undiciTransport } from '../../src/undici.ts'
import { type Certificates, makeCertificates } from '../support/certificates.ts'
import { startOrigin } from '../support/loopback-origin.ts'

let certificates: Certificates
let server: http2.Http2SecureServer
let base: string
const streams: Record<string, number> = {}

beforeAll(async () => {
  certificates = makeCertificates()
  // allowHTTP1: a client that offers only HTTP/1.1 is answered too.
  server = http2.createSecureServer({ ...certificates.server, allowHTTP1: true }, (request, response) => {
    const path = request.url
    streams[path] = (streams[path] ?? 0) + 1
    const first = streams[path] === 1
    const stream = request.stream
    stream?.on('error', () => {})
    // The first stream of each refused nothing reached the application: undici sends it again.
    if (path === '/refused' && first && stream) return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM)
    if (path === '/goaway' && first && stream) {
      stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, 0)
      return stream.session?.destroy()
    }
    if (path === '/reset' && stream) return stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR)
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.end(`HTTP/${request.httpVersion} ${request.method} ${path} ${body}`.trim())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(() => {
  server.close()
})

const client = (http2Option?: boolean) =>
  createClient({
    transport: undiciTransport({
      tls: { ca: certificates.ca },
      ...(http2Option === undefined ? {} : { http2: http2Option }),
    }),
    cache: false,
    retry: { backoff: { initial: 0, max: 0 } },
  })

describe('HTTP/2', () => {
  it("is negotiated with a TLS origin that offers it, and each attempt's protocol is in meta", async () => {
    const result = await client().get(`${base}/`)
    expect(result).toMatchObject({ kind: 'success', data: 'HTTP/2.0 GET /' })
    expect(result.meta.attempts.map((attempt) => attempt.protocol)).toEqual(['h2'])
  })

  it('http2: false keeps to HTTP/1.1', async () => {
    const result = await client(false).get(`${base}/`)
    expect(result).toMatchObject({ kind: 'success', data: 'HTTP/1.1 GET /' })
    expect(result.meta.attempts.map((attempt) => attempt.protocol)).toEqual(['http/1.1'])
  })

  it('a plain http origin is HTTP/1.1, said so in meta', async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('plain') })
    try {
      const result = await client().get(`${origin.url}/`)
      expect(result.meta.attempts[0]?.protocol).toBe('http/1.1')
    } finally {
      await origin.stop()
    }
  })

  it('a refused stream is sent again, even a POST: nothing of it reached the application', async () => {
    const result = await client().post(`${base}/refused`, { body: 'once' })
    expect(result).toMatchObject({ kind: 'success', data: 'HTTP/2.0 POST /refused once' })
    expect(streams['/refused']).toBe(2)
  })

  it('a GOAWAY that closes the connection is a transient network error: a GET is retried', async () => {
    const result = await client().get(`${base}/goaway`)
    expect(result).toMatchObject({ kind: 'success', data: 'HTTP/2.0 GET /goaway' })
    expect(result.meta.attempts.map((attempt) => attempt.status ?? attempt.error)).toEqual([
      'UND_ERR_SOCKET',
      200,
    ])
  })

  it('a stream reset by the server is network-error ERR_HTTP2_STREAM_ERROR, transient: a GET is retried', async () => {
    const result = await client().get(`${base}/reset`)
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_HTTP2_STREAM_ERROR' })
    expect(result.meta.attempts).toHaveLength(3)
  })

  it('http2 that is not a boolean is a TypeError that names it', () => {
    expect(() => undiciTransport({ http2: 'yes' as never })).toThrow(
      /"undiciTransport http2" must be a boolean/,
    )
  })
})
