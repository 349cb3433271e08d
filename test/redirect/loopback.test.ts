/** Redirects on the wire: two loopback ports are two origins. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS, transportOption } from '../support/transports.ts'

let first: LoopbackOrigin
let second: LoopbackOrigin
let secondSaw: { method: string | undefined; headers: IncomingMessage['headers']; body: string }[] = []

function echo(request: IncomingMessage, response: ServerResponse): void {
  let body = ''
  request.on('data', (chunk) => (body += chunk))
  request.on('end', () => {
    secondSaw.push({ method: request.method, headers: request.headers, body })
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ method: request.method, body }))
  })
}

/** `/hop?status=…&to=…`: a redirect with a body, as servers usually send one. */
function hop(request: IncomingMessage, response: ServerResponse): void {
  const query = new URL(request.url ?? '/', 'http://x').searchParams
  request.resume()
  response
    .writeHead(Number(query.get('status')), { location: query.get('to') ?? '', 'content-type': 'text/html' })
    .end(`<html><body>Moved to ${query.get('to')}. ${'padding '.repeat(200)}</body></html>`)
}

/** The server's end of every connection that carried a `/big-hop` redirect. */
const bigHopSockets: Socket[] = []

/** A redirect with a 4 MiB body: more than anyone should read to throw away. */
function bigHop(request: IncomingMessage, response: ServerResponse): void {
  request.resume()
  bigHopSockets.push(request.socket)
  response.writeHead(302, { location: '/echo', 'content-type': 'application/octet-stream' })
  response.end(Buffer.alloc(4 * 1024 * 1024))
}

/** A redirect whose short body arrives in two pieces, as it may over a real network. */
function slowHop(request: IncomingMessage, response: ServerResponse): void {
  request.resume()
  response.writeHead(302, { location: '/echo', 'content-type': 'text/html', 'content-length': '2048' })
  response.write('x'.repeat(1024))
  setTimeout(() => response.end('y'.repeat(1024)), 30)
}

beforeAll(async () => {
  second = await startOrigin({ '/echo': echo })
  first = await startOrigin({
    '/hop': hop,
    '/echo': echo,
    '/big-hop': bigHop,
    '/slow-hop': slowHop,
    // Location's bytes are the UTF-8 of /안녕, as a server writes them.
    '/hangul': (_request, response) => {
      response.setHeader('location', Buffer.from('/안녕').toString('latin1'))
      response.writeHead(302).end()
    },
    '/%EC%95%88%EB%85%95': echo,
  })
})

afterAll(async () => {
  await Promise.all([first.stop(), second.stop()])
})

const hopTo = (status: number, target: string) => `/hop?status=${status}&to=${encodeURIComponent(target)}`

describe.each(TRANSPORTS)('redirects against real servers, $name transport', ({ make }) => {
  it.each([301, 302, 303, 307, 308])(
    '%i chains across origins, method and body per the Fetch standard',
    async (status) => {
      secondSaw = []
      const client = createClient({ ...transportOption(make), baseUrl: first.url })
      // first → first → second
      const path = hopTo(status, hopTo(status, `${second.url}/echo`))
      const result = await client.post(path, { body: 'payload' })
      expect(result.kind).toBe('success')
      expect(result.meta.redirects).toHaveLength(2)
      const keeps = status === 307 || status === 308
      expect(secondSaw).toEqual([
        expect.objectContaining({ method: keeps ? 'POST' : 'GET', body: keeps ? 'payload' : '' }),
      ])
    },
  )

  it('no credential header reaches the second origin', async () => {
    secondSaw = []
    const client = createClient({
      ...transportOption(make),
      baseUrl: first.url,
      headers: {
        authorization: 'Bearer secret',
        cookie: 'sid=1',
        'proxy-authorization': 'Basic x',
        'x-trace': 't',
      },
    })
    const result = await client.get(hopTo(302, `${second.url}/echo`))
    expect(result.kind).toBe('success')
    expect(secondSaw[0]?.headers).not.toHaveProperty('authorization')
    expect(secondSaw[0]?.headers).not.toHaveProperty('cookie')
    expect(secondSaw[0]?.headers).not.toHaveProperty('proxy-authorization')
    expect(secondSaw[0]?.headers).toHaveProperty('x-trace', 't')
  })

  it('beforeRedirect sees each hop followed, and what it sets the next hop sends', async () => {
    secondSaw = []
    const seen: string[] = []
    const client = createClient({
      ...transportOption(make),
      baseUrl: first.url,
      hooks: { beforeRedirect: ({ from, status }) => void seen.push(`client ${status} ${from.pathname}`) },
    })
    const result = await client.get(hopTo(307, `${second.url}/echo`), {
      headers: { authorization: 'Bearer secret' },
      hooks: {
        beforeRedirect: ({ request, headers }) => {
          seen.push(`request ${headers.get('content-type')} ${request.url.href}`)
          // The credential was dropped before the hook; what it sets now is its own choice.
          seen.push(`authorization ${request.headers.get('authorization')}`)
          request.headers.set('x-signed', request.url.pathname)
        },
      },
    })
    expect(result.kind).toBe('success')
    expect(seen).toEqual(['client 307 /hop', `request text/html ${second.url}/echo`, 'authorization null'])
    expect(secondSaw[0]?.headers).toHaveProperty('x-signed', '/echo')
  })

  it("what beforeRedirect sets stays with that call's hop, never in the client's own headers", async () => {
    secondSaw = []
    const client = createClient({
      ...transportOption(make),
      baseUrl: first.url,
      headers: { 'x-team': 'a' },
      hooks: { beforeRedirect: ({ request }) => void request.headers.set('x-signed', 'yes') },
    })
    expect((await client.get(hopTo(302, `${second.url}/echo`))).kind).toBe('success')
    expect((await client.get(`${second.url}/echo`)).kind).toBe('success')
    expect(secondSaw.map(({ headers }) => headers['x-signed'])).toEqual(['yes', undefined])
    expect(secondSaw.map(({ headers }) => headers['x-team'])).toEqual(['a', 'a'])
  })

  it('beforeRedirect is not asked about a hop refused; one that throws ends the call as hook-error', async () => {
    const asked: number[] = []
    const client = createClient({
      ...transportOption(make),
      baseUrl: first.url,
      redirect: { follow: 'same-origin' },
      hooks: { beforeRedirect: ({ status }) => void asked.push(status) },
    })
    expect(await client.get(hopTo(302, `${second.url}/echo`))).toMatchObject({ kind: 'redirect' })
    expect(asked).toEqual([])
    const failing = await client.get(hopTo(302, '/echo'), {
      hooks: {
        beforeRedirect: () => {
          throw new Error('no')
        },
      },
    })
    expect(failing).toMatchObject({ kind: 'hook-error', hook: 'beforeRedirect', error: { message: 'no' } })
    const framing = await client.get(hopTo(302, '/echo'), {
      hooks: { beforeRedirect: ({ request }) => void request.headers.set('host', 'elsewhere') },
    })
    expect(framing).toMatchObject({ kind: 'hook-error', hook: 'beforeRedirect' })
  })

  it("a redirect's body is discarded so the connection is reused for the next hop", async () => {
    const client = createClient({ ...transportOption(make), baseUrl: first.url })
    const path = hopTo(302, hopTo(302, hopTo(302, '/echo')))
    // A cold pool may open a second connection while the first is being handed back; a warm one
    // serves a whole chain from the connections it has.
    await client.get(path)
    const before = first.connections()
    const result = await client.get(path)
    expect(result.kind).toBe('success')
    expect(result.meta.redirects).toHaveLength(3)
    expect(first.connections() - before).toBe(0)
  })

  it('a short redirect body still arriving is read to its end, so the connection is reused', async () => {
    const client = createClient({ ...transportOption(make), baseUrl: first.url })
    await client.get('/slow-hop') // fills the pool
    const before = first.connections()
    const result = await client.get('/slow-hop')
    expect(result).toMatchObject({ kind: 'success', meta: { redirects: [{ status: 302 }] } })
    // Cancelling the half-arrived body instead would close its connection: a new one per hop.
    expect(first.connections() - before).toBeLessThanOrEqual(1)
  })

  it('a large redirect body is cancelled, not left holding its connection open', async () => {
    const result = await createClient({ ...transportOption(make), baseUrl: first.url }).get('/big-hop')
    expect(result).toMatchObject({ kind: 'success', meta: { redirects: [{ status: 302 }] } })
    await vi.waitFor(() => expect(bigHopSockets.every((socket) => socket.destroyed)).toBe(true))
  })

  it('a non-ASCII Location is read as the UTF-8 it is', async () => {
    const result = await createClient({ ...transportOption(make), baseUrl: first.url }).get('/hangul')
    expect(result).toMatchObject({
      kind: 'success',
      meta: { request: { url: `${first.url}/%EC%95%88%EB%85%95` } },
    })
  })

  it('a same-origin policy refuses the hop to the second port', async () => {
    const client = createClient({
      ...transportOption(make),
      baseUrl: first.url,
      redirect: { follow: 'same-origin' },
    })
    const result = await client.get(hopTo(307, `${second.url}/echo`))
    expect(result).toMatchObject({ kind: 'redirect', status: 307, reason: 'cross-origin' })
    // A hop not followed is answered at once: its body is cancelled, never read.
    if (result.kind === 'redirect') expect(result.data).toBeUndefined()
    // Unless the caller asked for a stream: then the 3xx's body is theirs, as fetch's 'manual' gives it.
    const streamed = await client.get(hopTo(307, `${second.url}/echo`), { responseType: 'stream' })
    if (streamed.kind !== 'redirect') throw new Error(streamed.kind)
    expect(streamed.data).toBeInstanceOf(ReadableStream)
    expect(await new Response(streamed.data as ReadableStream).text()).toMatch(/^<html><body>Moved to /)
  })
})
