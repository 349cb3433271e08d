/**
 * The undici transport's `tls` option against real `node:https` servers, with certificates made
 * for the test by openssl: a custom CA, mTLS, and each certificate failure with its stable code.
 */
import { createServer, type ServerOptions } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { type TlsOptions, undiciTransport } from '../../src/undici.ts'
import { type Certificates, makeCertificates } from '../support/certificates.ts'

let certificates: Certificates
const servers: { close(): void }[] = []

/** An https origin on loopback that answers with the client certificate's name, if any. */
async function origin(options: ServerOptions): Promise<string> {
  const server = createServer(options, (request, response) => {
    const peer = (request.socket as import('node:tls').TLSSocket).getPeerCertificate()
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`client: ${peer?.subject?.CN ?? 'none'}`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}/`
}

beforeAll(() => {
  certificates = makeCertificates()
})

afterAll(() => {
  for (const server of servers) server.close()
})

/** A call with the default retry policy: a certificate failure must not be retried. */
const call = (url: string, tls?: TlsOptions): Promise<Result> =>
  createClient({
    transport: undiciTransport(tls ? { tls } : {}),
    retry: { backoff: { initial: 0, max: 0 } },
  }).get(url)

describe('tls', () => {
  it("trusts the CA it is given, where Node's bundled ones do not", async () => {
    const url = await origin(certificates.server)
    expect(await call(url, { ca: certificates.ca })).toMatchObject({ kind: 'success', data: 'client: none' })
    const untrusted = await call(url)
    expect(untrusted).toMatchObject({ kind: 'network-error', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
    expect(untrusted.meta.attempts).toHaveLength(1)
  })

  it.each([
    ['expired', 'CERT_HAS_EXPIRED'],
    ['selfSigned', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['wrongHost', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const)('a %s certificate is network-error %s, not retried', async (which, code) => {
    const url = await origin(certificates[which])
    const result = await call(url, { ca: certificates.ca })
    expect(result).toMatchObject({ kind: 'network-error', code })
    expect(result.meta.attempts).toHaveLength(1)
  })

  it('servername checks the certificate against another name', async () => {
    const url = await origin(certificates.wrongHost)
    expect(await call(url, { ca: certificates.ca, servername: 'elsewhere.test' })).toMatchObject({
      kind: 'success',
    })
  })

  it('rejectUnauthorized: false accepts any certificate', async () => {
    const url = await origin(certificates.selfSigned)
    expect(await call(url, { rejectUnauthorized: false })).toMatchObject({ kind: 'success' })
  })

  it('sends a client certificate for mTLS', async () => {
    const url = await origin({
      ...certificates.server,
      ca: certificates.ca,
      requestCert: true,
      rejectUnauthorized: true,
    })
    expect(await call(url, { ca: certificates.ca, ...certificates.client })).toMatchObject({
      kind: 'success',
      data: 'client: fetchkind client',
    })
  })

  it('without the client certificate a TLS 1.2 server refuses the handshake: ERR_TLS_HANDSHAKE_FAILURE', async () => {
    const url = await origin({
      ...certificates.server,
      ca: certificates.ca,
      requestCert: true,
      rejectUnauthorized: true,
      maxVersion: 'TLSv1.2',
    })
    const result = await call(url, { ca: certificates.ca })
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_TLS_HANDSHAKE_FAILURE' })
    expect(result.meta.attempts).toHaveLength(1)
  })

  it.each([
    [{ ca: 42 }, /"undiciTransport tls.ca" must be PEM text/],
    [{ key: 'k' }, /"undiciTransport tls.key" needs "undiciTransport tls.cert"/],
    [{ rejectUnauthorized: 'no' }, /"undiciTransport tls.rejectUnauthorized" must be a boolean/],
    [{ servername: '' }, /"undiciTransport tls.servername"/],
    ['yes', /"undiciTransport tls" must be an object/],
  ])('%o is a TypeError that names it', (tls, message) => {
    expect(() => undiciTransport({ tls: tls as never })).toThrow(message)
  })
})
