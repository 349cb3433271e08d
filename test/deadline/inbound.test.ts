import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, deadlineFrom, deadlineLeft, deadlineMiddleware, type Result } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

describe('deadlineFrom', () => {
  it("takes the nearer of the server's own timeout and the one the request brings", () => {
    const options = { timeout: 200, header: 'x-request-timeout-ms' }
    expect(deadlineFrom({ 'x-request-timeout-ms': '150' }, options)).toBe(150)
    expect(deadlineFrom({ 'x-request-timeout-ms': '5000' }, options)).toBe(200)
    expect(deadlineFrom(new Headers({ 'X-Request-Timeout-Ms': '80' }), options)).toBe(80)
    expect(
      deadlineFrom(new Headers({ 'grpc-timeout': '1S' }), { timeout: 5_000, header: 'grpc-timeout' }),
    ).toBe(1_000)
  })

  it('ignores a header that says nothing clearly: absent, malformed, or sent twice', () => {
    const options = { timeout: 200, header: 'x-request-timeout-ms' }
    expect(deadlineFrom({}, options)).toBe(200)
    expect(deadlineFrom({ 'x-request-timeout-ms': 'soon' }, options)).toBe(200)
    expect(deadlineFrom({ 'x-request-timeout-ms': ['50', '60'] }, options)).toBe(200)
    expect(deadlineFrom({ 'x-request-timeout-ms': '50' }, { timeout: 200 })).toBe(200)
  })

  it('checks its options once, with a TypeError naming the mistake', () => {
    expect(() => deadlineFrom({}, { timeout: -1 })).toThrow(/timeout/)
    expect(() => deadlineMiddleware({ timeout: 100, header: 'bad header' })).toThrow(/header/)
    expect(() => deadlineMiddleware(undefined as never)).toThrow(TypeError)
  })
})

describe('a server that calls two upstreams under a 200 ms inbound deadline (loopback)', () => {
  const SLOW_MS = 5_000
  let upstream: LoopbackOrigin
  let front: LoopbackOrigin
  const seen: { path: string; timeLeft: string | undefined }[] = []
  const slowTimers = new Set<NodeJS.Timeout>()
  const results: Result[][] = []

  beforeAll(async () => {
    const record = (request: IncomingMessage) =>
      seen.push({
        path: new URL(request.url ?? '/', 'http://x').pathname,
        timeLeft: request.headers['x-request-timeout-ms'] as string | undefined,
      })
    upstream = await startOrigin({
      '/fast': (request, response) => {
        record(request)
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"fast":true}')
      },
      '/slow': (request, response) => {
        record(request)
        const timer = setTimeout(() => response.writeHead(200).end('late'), SLOW_MS)
        slowTimers.add(timer)
      },
    })
    const client = createClient({ baseUrl: upstream.url, deadline: { header: 'x-request-timeout-ms' } })
    const deadline = deadlineMiddleware({ timeout: 200, header: 'x-request-timeout-ms' })
    front = await startOrigin({
      '/': (request: IncomingMessage, response: ServerResponse) =>
        deadline(request, response, async () => {
          const left = deadlineLeft()
          const calls = [await client.get('fast'), await client.get('slow')]
          results.push(calls)
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ left }))
        }),
    })
  })
  afterAll(async () => {
    for (const timer of slowTimers) clearTimeout(timer)
    await front.stop()
    await upstream.stop()
  })

  it('answers by its deadline, the slow upstream cut as an inherited timeout, and tells each upstream its time left', async () => {
    const started = performance.now()
    const response = await fetch(front.url, { headers: { 'x-request-timeout-ms': '60000' } })
    const elapsed = performance.now() - started
    // The server's 200 ms, not the 60 s the caller brought (a millisecond may pass before it is read).
    const { left } = (await response.json()) as { left: number }
    expect(left).toBeLessThanOrEqual(200)
    expect(left).toBeGreaterThan(100)
    // The slow upstream takes 5 s: an answer well before that is the deadline at work.
    expect(elapsed).toBeLessThan(SLOW_MS / 2)
    const [fast, slow] = results.at(-1) as Result[]
    expect(fast).toMatchObject({ kind: 'success', data: { fast: true } })
    expect(slow).toMatchObject({ kind: 'timeout', phase: 'total', inherited: true })
    expect((slow as { limit: number }).limit).toBeLessThanOrEqual(200)
    const told = seen.slice(-2).map(({ timeLeft }) => Number(timeLeft))
    expect(told[0]).toBeLessThanOrEqual(200)
    expect(told[1]).toBeLessThanOrEqual(told[0] as number)
  })

  it('keeps to a nearer deadline the caller brings', async () => {
    await fetch(front.url, { headers: { 'x-request-timeout-ms': '50' } }).then((response) => response.json())
    const slow = results.at(-1)?.[1]
    expect(slow).toMatchObject({ kind: 'timeout', inherited: true })
    expect((slow as { limit: number }).limit).toBeLessThanOrEqual(50)
  })
})
