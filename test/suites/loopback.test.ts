/** Against a real node:http server on 127.0.0.1: what the wire does, not what a mock says. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, match } from '../../src/index.ts'
import { closedPort, type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS, transportOption } from '../support/transports.ts'

let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/user': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42,"name":"Ada"}')
    },
    '/created': (request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        response.writeHead(201, { 'content-type': 'application/json', location: '/user' }).end(body)
      })
    },
    '/missing': (_request, response) => {
      response
        .writeHead(404, { 'content-type': 'application/problem+json' })
        .end('{"type":"about:blank","title":"Not Found","status":404}')
    },
    '/busy': (_request, response) => {
      response.writeHead(503, { 'retry-after': '120', 'content-type': 'text/plain' }).end('busy')
    },
    '/reset-before-headers': (request) => {
      request.socket.destroy()
    },
    '/truncated': (_request, response) => {
      // Promises 100 bytes, sends 10, then drops the connection.
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      response.write('{"partial"')
      setTimeout(() => response.socket?.destroy(), 20)
    },
    '/reset-mid-body': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.write('first chunk')
      setTimeout(() => response.socket?.destroy(), 20)
    },
    '/never': () => {},
    '/trickle': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      const timer = setInterval(() => response.write('.'), 20)
      response.on('close', () => clearInterval(timer))
    },
  })
})

afterAll(async () => {
  await origin.stop()
})

describe.each(TRANSPORTS)('a real loopback origin, $name transport', ({ make }) => {
  /** What the wire does to one attempt is under test here, so nothing is retried. */
  const api = () => createClient({ ...transportOption(make), baseUrl: origin.url, retry: false })

  it('returns a JSON success', async () => {
    const result = await api().get<{
      id: number
      name: string
    }>('/user')
    expect(result).toMatchObject({
      kind: 'success',
      status: 200,
      statusText: 'OK',
      data: { id: 42, name: 'Ada' },
    })
    expect(result.meta.request.url).toBe(`${origin.url}/user`)
  })

  it('posts JSON and reads 201 with its Location', async () => {
    const result = await api().post('/created', {
      json: { name: 'Bea' },
    })
    if (result.kind !== 'success') throw new Error(result.kind)
    expect(result.status).toBe(201)
    expect(result.data).toEqual({ name: 'Bea' })
    expect(result.location?.href).toBe(`${origin.url}/user`)
  })

  it('a 404 problem is a client-error with the problem parsed', async () => {
    const result = await api().get('/missing')
    const summary = match(result, {
      404: (r) => `missing: ${r.problem?.title}`,
      _: (r) => `unexpected ${r.kind}`,
    })
    expect(summary).toBe('missing: Not Found')
  })

  it('a 503 with Retry-After is a server-error that says how long to wait', async () => {
    const result = await api().get('/busy')
    expect(result).toMatchObject({
      kind: 'server-error',
      status: 503,
      data: 'busy',
      retryAfter: { ms: 120_000 },
    })
  })

  it('a closed port is network-error ECONNREFUSED', async () => {
    const port = await closedPort()
    const result = await createClient({ ...transportOption(make), retry: false }).get(
      `http://127.0.0.1:${port}/`,
    )
    expect(result).toMatchObject({ kind: 'network-error', code: 'ECONNREFUSED' })
    if (result.kind === 'network-error') expect(result.message).toContain(`127.0.0.1:${port}`)
  })

  it('a connection reset before the headers is a network-error with a stable code', async () => {
    const result = await api().get('/reset-before-headers')
    expect(result.kind).toBe('network-error')
    if (result.kind === 'network-error') expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(result.code)
  })

  it('a body shorter than its Content-Length is invalid-response, truncated-body', async () => {
    const result = await api().get('/truncated')
    expect(result).toMatchObject({ kind: 'invalid-response', reason: 'truncated-body', status: 200 })
  })

  it('a connection reset mid-body is invalid-response, truncated-body', async () => {
    const result = await api().get('/reset-mid-body')
    expect(result).toMatchObject({ kind: 'invalid-response', reason: 'truncated-body', status: 200 })
  })

  it('a server that never answers ends at the attempt deadline', async () => {
    const result = await createClient({
      ...transportOption(make),
      baseUrl: origin.url,
      timeout: { attempt: 100 },
      retry: false,
    }).get('/never')
    expect(result).toMatchObject({ kind: 'timeout', phase: 'attempt', limit: 100 })
  })

  it('a body that trickles forever ends at the total deadline', async () => {
    const result = await createClient({
      ...transportOption(make),
      baseUrl: origin.url,
      timeout: { attempt: false, total: 150 },
    }).get('/trickle')
    expect(result).toMatchObject({ kind: 'timeout', phase: 'total', limit: 150 })
  })

  it('serves many concurrent calls, each with its own result', async () => {
    const client = api()
    const results = await Promise.all(Array.from({ length: 50 }, () => client.get('/user')))
    expect(results.every((result) => result.kind === 'success')).toBe(true)
  })
})
