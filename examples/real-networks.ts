/**
 * Real networks with the undici transport: an mTLS upstream that speaks HTTP/2, reached with a
 * private CA and a client certificate, directly and through a proxy (set PROXY_URL to one, e.g.
 * tinyproxy on http://127.0.0.1:8888; the test suite runs this against a real tinyproxy).
 *
 *   npm run build && node examples/real-networks.ts        (needs openssl on PATH)
 */
import http2 from 'node:http2'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { createClient } from 'fetchkind'
import { undiciTransport } from 'fetchkind/undici'
import { makeCertificates } from './certificates.ts'

const certificates = makeCertificates()

// The upstream: HTTP/2 (HTTP/1.1 for clients that offer only that), a client certificate required.
const upstream = http2.createSecureServer(
  {
    ...certificates.server,
    ca: certificates.ca,
    requestCert: true,
    rejectUnauthorized: true,
    allowHTTP1: true,
  },
  (request, response) => {
    const client = (request.socket as TLSSocket).getPeerCertificate().subject?.CN
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ client, version: request.httpVersion }))
  },
)
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
const url = `https://127.0.0.1:${(upstream.address() as AddressInfo).port}/whoami`

// One transport per network set-up: the private CA, the client certificate, and HTTP/2 on offer.
const tls = { ca: certificates.ca, cert: certificates.client.cert, key: certificates.client.key }
const transport = undiciTransport({ tls })
const direct = createClient({ transport })
const result = await direct.get<{ client: string; version: string }>(url)
if (result.kind === 'success') {
  console.log(
    `direct: ${result.data.client} over HTTP/${result.data.version} (${result.meta.attempts[0]?.protocol})`,
  )
} else {
  console.log('direct:', result.kind)
}

// The same upstream through a proxy: a CONNECT tunnel, the TLS inside it still end to end.
if (process.env.PROXY_URL) {
  const viaProxy = undiciTransport({ proxy: process.env.PROXY_URL, tls })
  const proxied = createClient({ transport: viaProxy })
  const through = await proxied.get<{ client: string; version: string }>(url)
  if (through.kind === 'success') {
    console.log(`through the proxy: ${through.data.client} over HTTP/${through.data.version}`)
  } else {
    console.log('through the proxy:', through.kind)
  }
  await viaProxy.close()
}

// Without the client certificate the upstream closes the connection: a network-error, not a throw.
const withoutCertificate = undiciTransport({ tls: { ca: certificates.ca } })
const anonymous = await createClient({ transport: withoutCertificate, retry: false }).get(url)
console.log(
  'without a client certificate:',
  anonymous.kind === 'network-error' ? anonymous.code : anonymous.kind,
)

// A transport keeps its connections open for reuse: close them, and the upstream, to exit at once.
await Promise.all([transport.close(), withoutCertificate.close()])
upstream.close()
