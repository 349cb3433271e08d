/**
 * Trust boundaries (issue 16, SECURITY.md): each test here failed before its fix. Both
 * transports where the wire is involved.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createGzip, gzipSync } from 'node:zlib'
import { Agent } from 'undici'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { VERSION } from '../../src/ground/version.ts'
import { BodyTooLargeError, createClient, type Result } from '../../src/index.ts'
import { undiciTransport } from '../../src/undici.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS, transportOption } from '../support/transports.ts'

let origin: LoopbackOrigin
let other: LoopbackOrigin
const hits = new Map<string, number>()
let endless = { written: 0, closed: false }

function echo(request: IncomingMessage, response: ServerResponse): void {
  hits.set(request.url ?? '', (hits.get(request.url ?? '') ?? 0) + 1)
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(request.headers))
}

const redirect = (location: string | string[]) => (_request: IncomingMessage, response: ServerResponse) => {
  response.setHeader('location', location) // a list: one Location line each
  response.writeHead(302).end('moved')
}

beforeAll(async () => {
  other = await startOrigin({ '/echo': echo })
  origin = await startOrigin({
    '/echo': echo,
    '/a': echo,
    '/b': echo,
    '/gzip-json': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(gzipSync(JSON.stringify({ decoded: true })))
    },
    '/two-locations': redirect(['/a', '/b']),
    '/empty-location': redirect(''),
    '/userinfo-location': redirect('http://someone:pw-SECRET@example.test/next'),
    '/userinfo-locations': redirect([
      'http://one:pw-SECRET-1@example.test/a',
      'http://two:pw-SECRET-2@example.test/b',
    ]),
    '/huge-declared': (_request, response) => {
      // Declares 2 GiB, sends ten bytes, then nothing: only refusing at the headers ends this.
      response.writeHead(200, { 'content-length': '2147483648' })
      response.write('0123456789')
    },
    '/gzip-bomb': (_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.alloc(32 * 1024 * 1024)))
    },
    '/endless-gzip-redirect': (request, response) => {
      endless = { written: 0, closed: false }
      response.writeHead(302, { location: '/echo', 'content-encoding': 'gzip' })
      const gzip = createGzip()
      gzip.pipe(response)
      const zeros = Buffer.alloc(1024 * 1024)
      request.socket.on('close', () => {
        endless.closed = true
      })
      // Bounded, so that the test's server stops by itself: 2 GiB of zeros at most.
      const pump = () => {
        while (!endless.closed && endless.written < 2048) {
          endless.written += 1
          if (!gzip.write(zeros)) return gzip.once('drain', pump)
        }
        gzip.end()
      }
      pump()
    },
  })
})

afterAll(async () => {
  await origin.stop()
  await other.stop()
})

const headersOf = (result: Result) =>
  result.kind === 'success' ? (result.data as Record<string, string>) : {}

/** Everything a result holds, as text: its fields, its meta and its headers. */
function textOf(result: Result): string {
  const headers = 'headers' in result ? [...result.headers] : []
  return JSON.stringify({
    ...result,
    headers,
    location: 'location' in result ? String(result.location) : null,
  })
}

describe.each(TRANSPORTS)('$name transport', ({ make }) => {
  const client = () => createClient({ ...transportOption(make), baseUrl: origin.url, retry: false })

  it(`sends user-agent fetchkind/${VERSION} and one accept-encoding, overridable and removable`, async () => {
    const sent = headersOf(await client().get('/echo'))
    expect(sent['user-agent']).toBe(`fetchkind/${VERSION}`)
    expect(sent['accept-encoding']).toBe('gzip, deflate, br')
    const mine = headersOf(await client().get('/echo', { headers: { 'user-agent': 'mine/1' } }))
    expect(mine['user-agent']).toBe('mine/1')
    const none = createClient({ ...transportOption(make), headers: { 'user-agent': undefined } })
    // Removed: the undici transport sends none, fetch its own.
    expect(String(headersOf(await none.get(`${origin.url}/echo`))['user-agent'])).not.toMatch(/fetchkind/)
  })

  it('two different Location values are an invalid location: nothing is requested', async () => {
    hits.clear()
    const result = await client().get('/two-locations')
    expect(result).toMatchObject({ kind: 'redirect', reason: 'invalid-location', meta: { redirects: [] } })
    expect(hits.size).toBe(0)
  })

  it('an empty Location is an invalid location, not a loop', async () => {
    const result = await client().get('/empty-location')
    expect(result).toMatchObject({ kind: 'redirect', reason: 'invalid-location', location: null })
  })

  it("a Location's password appears nowhere in the result", async () => {
    const result = await client().get('/userinfo-location')
    expect(result).toMatchObject({ kind: 'redirect', reason: 'credentials-in-location' })
    if (result.kind === 'redirect') {
      expect(result.location?.href).toBe('http://***:***@example.test/next')
      expect(result.headers.get('location')).toBe('http://***:***@example.test/next')
    }
    expect(textOf(result)).not.toMatch(/pw-SECRET|someone/)
  })

  it('nor any password of several Locations', async () => {
    const result = await client().get('/userinfo-locations')
    expect(result).toMatchObject({ kind: 'redirect', reason: 'invalid-location' })
    expect(textOf(result)).not.toMatch(/pw-SECRET|one:|two:/)
  })

  it('a declared Content-Length over maxBodySize is refused at the headers, nothing read; a stream only under a cap set', async () => {
    const result = await client().get('/huge-declared', { timeout: { attempt: 60_000, total: 60_000 } })
    expect(result).toMatchObject({ kind: 'invalid-response', reason: 'body-too-large' })
    const capped = { responseType: 'stream', maxBodySize: 64 * 1024 * 1024 } as const
    expect(await client().get('/huge-declared', capped)).toMatchObject({
      kind: 'invalid-response',
      reason: 'body-too-large',
    })
    // With no cap of the caller's, a stream is the caller's to read at its pace, as fetch's is.
    const uncapped = await client().get('/huge-declared', { responseType: 'stream' })
    expect(uncapped.kind).toBe('success')
    if (uncapped.kind === 'success') await (uncapped.data as ReadableStream | null)?.cancel()
  })

  it('a streamed body errors with BodyTooLargeError at maxBodySize (a gzip bomb)', async () => {
    const limit = 1024 * 1024
    const result = await client().get('/gzip-bomb', { responseType: 'stream', maxBodySize: limit })
    if (result.kind !== 'success' || !result.data) throw new Error(`unexpected ${result.kind}`)
    let read = 0
    const reading = (async () => {
      for await (const chunk of result.data as ReadableStream<Uint8Array>) read += chunk.byteLength
    })()
    await expect(reading).rejects.toBeInstanceOf(BodyTooLargeError)
    await expect(reading).rejects.toMatchObject({ code: 'ERR_BODY_TOO_LARGE', limit })
    expect(read).toBeLessThanOrEqual(limit)
  })

  it('a redirect not followed is returned at once, its endless gzip body cancelled, never decoded', async () => {
    const result = await client().get('/endless-gzip-redirect', { redirect: { follow: 'never' } })
    expect(result).toMatchObject({ kind: 'redirect', status: 302, reason: 'policy', data: undefined })
    await vi.waitFor(() => expect(endless.closed).toBe(true))
    // Decoding to the 64 MiB cap would have taken at least 64 MiB of zeros.
    expect(endless.written).toBeLessThan(64)
  })
})

describe('credentials in URLs', () => {
  it('a URL with user or password is a TypeError at the call that names neither', () => {
    const client = createClient()
    for (const url of ['http://user:pw-SECRET@127.0.0.1/', 'http://token-SECRET@127.0.0.1/']) {
      expect(() => client.get(url)).toThrow(TypeError)
      expect(() => client.get(url)).toThrow(
        /includes credentials \(http:\/\/\*\*\*(:\*\*\*)?@127\.0\.0\.1\/\)/,
      )
      try {
        client.get(url)
      } catch (error) {
        expect(String((error as Error).message)).not.toMatch(/SECRET/)
      }
    }
    expect(() => createClient({ baseUrl: 'http://user:pw-SECRET@127.0.0.1/' })).toThrow(
      /"baseUrl"|credentials/,
    )
    expect(() => client.get('http://user:pw-SECRET@[bad/')).toThrow(/\/\/\*\*\*@/)
  })
})

describe('headers the transport owns', () => {
  it.each([
    'content-length',
    'Transfer-Encoding',
    'host',
    'connection',
    'keep-alive',
    'upgrade',
    'te',
    'trailer',
  ])('%s is a TypeError at the call naming it, from a request or a client', (name) => {
    const message = new RegExp(`"${name.toLowerCase()}", which the transport sets itself`)
    expect(() => createClient().get('http://127.0.0.1/', { headers: { [name]: '1' } })).toThrow(message)
    expect(() => createClient({ headers: { [name]: '1' } })).toThrow(message)
  })

  it('set by a beforeRequest hook, it is a hook-error with the TypeError, and nothing is sent', async () => {
    hits.clear()
    const result = await createClient().get(`${origin.url}/echo`, {
      hooks: {
        beforeRequest: (request) => {
          request.headers.set('content-length', '5')
        },
      },
    })
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'beforeRequest' })
    if (result.kind === 'hook-error') expect(result.error).toBeInstanceOf(TypeError)
    expect(hits.size).toBe(0)
  })
})

describe("a client's sensitive headers and its baseUrl", () => {
  it('go to the baseUrl origin only, never to an absolute URL elsewhere (axios CVE-2025-27152)', async () => {
    const client = createClient({
      baseUrl: origin.url,
      headers: { authorization: 'Bearer t', 'x-api-key': 'k', 'x-tenant': 's', 'accept-language': 'en' },
      sensitiveHeaders: ['x-tenant'],
    })
    const home = headersOf(await client.get('/echo'))
    expect(home).toMatchObject({ authorization: 'Bearer t', 'x-api-key': 'k', 'x-tenant': 's' })
    const away = headersOf(await client.get(`${other.url}/echo`))
    expect(away['accept-language']).toBe('en')
    for (const name of ['authorization', 'x-api-key', 'x-tenant']) expect(away).not.toHaveProperty(name)
    const own = headersOf(
      await client.get(`${other.url}/echo`, { headers: { authorization: 'Bearer mine' } }),
    )
    expect(own.authorization).toBe('Bearer mine')
  })
})

describe('the undici transport with a dispatcher of yours', () => {
  it('decodes as fetch does', async () => {
    const transport = undiciTransport({ dispatcher: new Agent() })
    const result = await createClient({ transport }).get(`${origin.url}/gzip-json`)
    expect(result).toMatchObject({ kind: 'success', data: { decoded: true } })
    await transport.close()
  })
})

describe('the global dispatcher', () => {
  it("is left as it was: a dispatcher installed for Node's fetch before fetchkind/undici is used stays", () => {
    const script = `
      const key = Symbol.for('undici.globalDispatcher.1')
      const proxy = { dispatch() { return true }, close() {}, destroy() {}, on() { return this } }
      globalThis[key] = proxy // where undici 7's setGlobalDispatcher (a ProxyAgent, say) puts it
      const { undiciTransport } = await import(${JSON.stringify(`${process.cwd()}/src/undici.ts`)})
      undiciTransport()
      console.log(globalThis[key] === proxy ? 'kept' : 'replaced')
    `
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(out.trim()).toBe('kept')
  })
})

describe('the version', () => {
  it("is package.json's", () => {
    expect(VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version)
  })
})
