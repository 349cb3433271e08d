/**
 * The undici transport's `proxy` option against a real proxy (tinyproxy): plain http forwarded,
 * https tunnelled with CONNECT, credentials for the proxy alone, every hop and retry through it,
 * and a proxy's refusals classified.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { undiciTransport } from '../../src/undici.ts'
import { type Certificates, makeCertificates } from '../support/certificates.ts'
import { closedPort } from '../support/loopback-origin.ts'
import { ProxyServer, requireTinyproxy, TINYPROXY } from '../support/proxy-server.ts'

requireTinyproxy('test/transport/proxy.test.ts')

/** What the origin saw of each request: whether it came through the proxy, and any credentials. */
interface Seen {
  path: string
  via: string | null
  proxyAuthorization: string | null
}

const seen: Seen[] = []
let flaky = 0
function route(request: IncomingMessage, response: ServerResponse): void {
  seen.push({
    path: request.url ?? '',
    via: request.headers.via ?? null,
    proxyAuthorization: request.headers['proxy-authorization'] ?? null,
  })
  if (request.url === '/moved') return void response.writeHead(302, { location: '/landed' }).end()
  if (request.url === '/flaky' && ++flaky === 1)
    return void response.writeHead(503, { 'retry-after': '0' }).end()
  response.writeHead(200, { 'content-type': 'text/plain' }).end(`at ${request.url}`)
}

let certificates: Certificates
let proxy: ProxyServer
let open: ProxyServer
let http: string
let https: string
const servers: { close(): void }[] = []

beforeAll(async () => {
  if (!TINYPROXY) return
  certificates = makeCertificates()
  proxy = await ProxyServer.start('ada:s3cret')
  open = await ProxyServer.start()
  const plain = createHttpServer(route)
  const secure = createHttpsServer(certificates.server, route)
  for (const server of [plain, secure]) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
  }
  http = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`
  https = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`
}, 30_000)

afterAll(async () => {
  for (const server of servers) server.close()
  await proxy?.stop()
  await open?.stop()
})

describe.skipIf(!TINYPROXY)('through a real proxy (tinyproxy)', () => {
  const client = (options: Parameters<typeof undiciTransport>[0] = {}) =>
    createClient({
      transport: undiciTransport({
        proxy: proxy.url('ada:s3cret'),
        tls: { ca: certificates.ca },
        ...options,
      }),
      cache: false,
      retry: { backoff: { initial: 0, max: 0 } },
    })

  it('forwards a plain http request; the credentials go to the proxy, never to the origin', async () => {
    seen.length = 0
    expect(await client().get(`${http}/hello`)).toMatchObject({ kind: 'success', data: 'at /hello' })
    expect(seen).toEqual([
      { path: '/hello', via: expect.stringContaining('tinyproxy'), proxyAuthorization: null },
    ])
  })

  it('tunnels to an https origin with CONNECT, the origin checked against the CA given', async () => {
    seen.length = 0
    expect(await client().get(`${https}/secure`)).toMatchObject({ kind: 'success', data: 'at /secure' })
    // Inside the tunnel the proxy adds nothing and the origin sees no credentials.
    expect(seen).toEqual([{ path: '/secure', via: null, proxyAuthorization: null }])
  })

  it('sends every redirect hop and every retry through the proxy', async () => {
    seen.length = 0
    flaky = 0
    const moved = await client().get(`${http}/moved`)
    expect(moved).toMatchObject({ kind: 'success', data: 'at /landed' })
    const retried = await client().get(`${http}/flaky`)
    expect(retried).toMatchObject({ kind: 'success', data: 'at /flaky' })
    expect(retried.meta.attempts).toHaveLength(2)
    expect(seen.map((request) => request.path)).toEqual(['/moved', '/landed', '/flaky', '/flaky'])
    expect(seen.every((request) => request.via?.includes('tinyproxy'))).toBe(true)
  })

  it('takes { url, token } for a Proxy-Authorization of its own', async () => {
    const basic = `Basic ${Buffer.from('ada:s3cret').toString('base64')}`
    const withToken = createClient({
      transport: undiciTransport({ proxy: { url: proxy.url(), token: basic }, tls: { ca: certificates.ca } }),
      retry: false,
    })
    expect(await withToken.get(`${https}/token`)).toMatchObject({ kind: 'success' })
  })

  it('a proxy that wants credentials (407) is network-error ERR_PROXY_AUTH, not retried', async () => {
    const refused = createClient({
      transport: undiciTransport({ proxy: proxy.url(), tls: { ca: certificates.ca } }),
      retry: { backoff: { initial: 0, max: 0 } },
    })
    for (const origin of [http, https]) {
      const result = await refused.get(`${origin}/nope`)
      expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_PROXY_AUTH' })
      expect(result.meta.attempts).toHaveLength(1)
    }
  })

  it('a proxy that cannot reach the origin: a 5xx for http, ERR_PROXY_TUNNEL (retried) for https', async () => {
    const port = await closedPort()
    expect(await client({}).get(`http://127.0.0.1:${port}/`)).toMatchObject({ kind: 'server-error' })
    const tunnel = await client({}).get(`https://127.0.0.1:${port}/`)
    expect(tunnel).toMatchObject({ kind: 'network-error', code: 'ERR_PROXY_TUNNEL' })
    expect(tunnel.meta.attempts).toHaveLength(3)
  })

  it('with blockPrivateAddresses the name is checked here, and the proxy is asked for the checked address', async () => {
    seen.length = 0
    const guarded = (blockPrivateAddresses: boolean | { allow: string[] }) =>
      createClient({
        transport: undiciTransport({ proxy: proxy.url('ada:s3cret'), blockPrivateAddresses }),
        retry: false,
      })
    const port = new URL(http).port
    expect(await guarded(true).get(`http://localhost:${port}/inside`)).toMatchObject({
      kind: 'network-error',
      code: 'ERR_BLOCKED_ADDRESS',
    })
    expect(seen).toEqual([])
    const allowed = await guarded({ allow: ['127.0.0.1'] }).get(`http://localhost:${port}/allowed`)
    expect(allowed).toMatchObject({ kind: 'success', data: 'at /allowed' })
    expect(seen.at(-1)?.via).toContain('tinyproxy')
  })

  it("'env' reads HTTP_PROXY and HTTPS_PROXY, and NO_PROXY bypasses the proxy", async () => {
    const saved = { ...process.env }
    try {
      process.env.HTTP_PROXY = open.url()
      process.env.HTTPS_PROXY = open.url()
      delete process.env.NO_PROXY
      delete process.env.no_proxy
      delete process.env.http_proxy
      delete process.env.https_proxy
      seen.length = 0
      const viaEnv = createClient({ transport: undiciTransport({ proxy: 'env' }), retry: false })
      expect(await viaEnv.get(`${http}/env`)).toMatchObject({ kind: 'success' })
      expect(seen.at(-1)?.via).toContain('tinyproxy')
      process.env.NO_PROXY = '127.0.0.1'
      const bypassing = createClient({ transport: undiciTransport({ proxy: 'env' }), retry: false })
      expect(await bypassing.get(`${http}/direct`)).toMatchObject({ kind: 'success' })
      expect(seen.at(-1)).toMatchObject({ path: '/direct', via: null })
    } finally {
      process.env = saved
    }
  })
})

describe('the proxy option', () => {
  it.each([
    ['ftp://proxy.test', /option "undiciTransport proxy" must be an http\(s\) URL or 'env'/],
    ['not a url', /"undiciTransport proxy"/],
    [{ url: 'http://p.test', token: 'a\r\nb' }, /"undiciTransport proxy.token"/],
    [42, /"undiciTransport proxy"/],
  ])('%o is a TypeError that names it', (proxy, message) => {
    expect(() => undiciTransport({ proxy: proxy as never })).toThrow(message)
  })

  it('cannot be set with socketPath, nor beside a dispatcher of your own', () => {
    expect(() => undiciTransport({ proxy: 'http://p.test', socketPath: '/tmp/s' })).toThrow(
      /"proxy" and "socketPath"/,
    )
    expect(() => undiciTransport({ proxy: 'http://p.test', dispatcher: {} as never })).toThrow(
      /"dispatcher" replaces/,
    )
  })
})
