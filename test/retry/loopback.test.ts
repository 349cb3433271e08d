/**
 * Retries on the wire, through a client that may open one connection only: a retry can only get
 * a connection if the failed response's body was dealt with first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import type { FetchFunction } from '../../src/transport.ts'
import { closedPort, type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS } from '../support/transports.ts'

let origin: LoopbackOrigin
const seen = new Map<string, number>()

/** Fails the first request to each path with 503 and a body of `size` bytes, then answers 200. */
function failOnce(size: number) {
  return (request: IncomingMessage, response: ServerResponse) => {
    request.resume()
    const path = request.url ?? ''
    const count = (seen.get(path) ?? 0) + 1
    seen.set(path, count)
    if (count === 1) {
      response.writeHead(503, { 'content-type': 'text/plain', 'content-length': String(size) })
      response.end(Buffer.alloc(size, 'x'))
      return
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  }
}

beforeAll(async () => {
  origin = await startOrigin({
    '/small': failOnce(2048),
    '/large': failOnce(4 * 1024 * 1024),
    // Takes the whole request, then breaks the connection: the server may have acted on it.
    '/reset': (request) => {
      seen.set('/reset', (seen.get('/reset') ?? 0) + 1)
      request.resume()
      request.on('end', () => request.socket.destroy())
    },
  })
})

afterAll(async () => {
  await origin.stop()
})

function oneConnectionClient() {
  const agent = new Agent({ connections: 1 })
  const fetch: FetchFunction = (input, init) =>
    undiciFetch(input, { ...init, dispatcher: agent } as never) as unknown as Promise<Response>
  const client = createClient({
    baseUrl: origin.url,
    fetch,
    // A wait of 1 ms: the point is the connection, not the backoff.
    retry: { backoff: { initial: 1, max: 1, jitter: 'none' }, budget: false },
    timeout: { attempt: 2000 },
  })
  return { client, close: () => agent.close() }
}

describe('the failed response is dealt with before the retry', () => {
  it('a short error body is read to its end and its connection reused', async () => {
    const { client, close } = oneConnectionClient()
    const before = origin.connections()
    const result = await client.get('/small')
    expect(result).toMatchObject({ kind: 'success', data: { ok: true } })
    expect(result.meta.attempts.map((attempt) => attempt.status)).toEqual([503, 200])
    expect(origin.connections() - before).toBe(1)
    await close()
  })

  it('a long error body is cancelled, so the retry is not stuck behind it', async () => {
    const { client, close } = oneConnectionClient()
    const result = await client.get('/large')
    expect(result).toMatchObject({ kind: 'success', data: { ok: true } })
    expect(result.meta.attempts.map((attempt) => attempt.status)).toEqual([503, 200])
    await close()
  })
})

describe('a request that never reached the server is retried whatever its method (issue 38)', () => {
  const retried = { backoff: { initial: 1, max: 1, jitter: 'none' as const }, budget: false as const }

  it.each(TRANSPORTS)(
    'a POST whose connection was refused is sent again, on the $name transport',
    async ({ make }) => {
      const port = await closedPort()
      const client = createClient({ transport: make(), retry: retried })
      const result = await client.post(`http://127.0.0.1:${port}/orders`, { json: { id: 1 } })
      expect(result).toMatchObject({ kind: 'network-error', code: 'ECONNREFUSED' })
      expect(result.meta.attempts).toHaveLength(3)
    },
  )

  it.each(TRANSPORTS)(
    'a POST whose connection broke once sent is not, on the $name transport',
    async ({ make }) => {
      seen.delete('/reset')
      const client = createClient({ transport: make(), retry: retried })
      const result = await client.post(`${origin.url}/reset`, { json: { id: 1 } })
      expect(result.kind).toBe('network-error')
      expect([result.meta.attempts.length, result.meta.retryStop]).toEqual([1, 'method'])
      expect(seen.get('/reset')).toBe(1)
    },
  )
})
