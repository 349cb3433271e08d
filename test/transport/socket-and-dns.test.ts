/**
 * The undici transport's `socketPath`, `lookup` and `dns` options, against real servers: an HTTP
 * server on a unix socket, and a loopback origin reached by names only a lookup of the test's knows.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { LookupFunction } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { undiciTransport } from '../../src/undici.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let directory: string
let socketServer: Server
let origin: LoopbackOrigin
let port: string

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'fetchkind-socket-'))
  socketServer = createServer((request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/plain' })
      .end(`socket: ${request.headers.host} ${request.url}`)
  })
  await new Promise<void>((resolve) => socketServer.listen(join(directory, 'api.sock'), resolve))
  // Each answer closes its connection, so that every call connects, and looks its name up, anew.
  origin = await startOrigin({
    '/': (request, response) =>
      response
        .writeHead(200, { connection: 'close', 'content-type': 'text/plain' })
        .end(`host ${request.headers.host}`),
  })
  port = new URL(origin.url).port
})

afterAll(async () => {
  socketServer.close()
  await origin.stop()
  rmSync(directory, { recursive: true, force: true })
})

/** A lookup that knows `*.internal.test` as 127.0.0.1 and `evil.test` as a private address; it counts its calls. */
function fakeDns() {
  const asked: string[] = []
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    asked.push(hostname)
    const address = hostname.endsWith('.internal.test')
      ? '127.0.0.1'
      : hostname === 'evil.test'
        ? '10.0.0.7'
        : null
    if (!address)
      return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }))
    const found = { address, family: 4 }
    if (options.all) callback(null, [found])
    else callback(null, found.address, found.family)
  }) as unknown as LookupFunction
  return { asked, lookup }
}

describe('socketPath', () => {
  it('sends every request to the unix socket, the URL still naming the host', async () => {
    const client = createClient({
      transport: undiciTransport({ socketPath: join(directory, 'api.sock') }),
      retry: false,
    })
    expect(await client.get('http://sidecar.local/v1/status')).toMatchObject({
      kind: 'success',
      data: 'socket: sidecar.local /v1/status',
    })
  })

  it('a socket nobody listens on is network-error ENOENT; a bad path is a TypeError', async () => {
    const client = createClient({
      transport: undiciTransport({ socketPath: join(directory, 'none.sock') }),
      retry: false,
    })
    expect(await client.get('http://sidecar.local/')).toMatchObject({ kind: 'network-error', code: 'ENOENT' })
    expect(() => undiciTransport({ socketPath: '' })).toThrow(/"undiciTransport socketPath"/)
  })
})

describe('lookup and dns', () => {
  it('lookup resolves names in place of dns.lookup', async () => {
    const dns = fakeDns()
    const client = createClient({
      transport: undiciTransport({ lookup: dns.lookup }),
      retry: false,
      cache: false,
    })
    expect(await client.get(`http://api.internal.test:${port}/`)).toMatchObject({
      kind: 'success',
      data: `host api.internal.test:${port}`,
    })
    expect(dns.asked).toContain('api.internal.test')
  })

  it('dns: true keeps an answer for its TTL: two connections, one lookup', async () => {
    const uncached = fakeDns()
    const plain = createClient({
      transport: undiciTransport({ lookup: uncached.lookup }),
      retry: false,
      cache: false,
    })
    await plain.get(`http://a.internal.test:${port}/`)
    await plain.get(`http://a.internal.test:${port}/`)
    expect(uncached.asked.filter((name) => name === 'a.internal.test')).toHaveLength(2)

    const cached = fakeDns()
    const client = createClient({
      transport: undiciTransport({ lookup: cached.lookup, dns: { maxTTL: 60_000 } }),
      retry: false,
      cache: false,
    })
    expect(await client.get(`http://b.internal.test:${port}/`)).toMatchObject({ kind: 'success' })
    expect(await client.get(`http://b.internal.test:${port}/`)).toMatchObject({ kind: 'success' })
    expect(cached.asked.filter((name) => name === 'b.internal.test')).toHaveLength(1)
  })

  it('blockPrivateAddresses checks what the lookup gives', async () => {
    const dns = fakeDns()
    const client = createClient({
      transport: undiciTransport({ lookup: dns.lookup, blockPrivateAddresses: true }),
      retry: false,
    })
    expect(await client.get('http://evil.test/')).toMatchObject({
      kind: 'network-error',
      code: 'ERR_BLOCKED_ADDRESS',
    })
    expect(dns.asked).toEqual(['evil.test'])
  })

  it.each([
    [{ lookup: 'dns' }, /"undiciTransport lookup"/],
    [{ dns: 'yes' }, /"undiciTransport dns"/],
    [{ dns: { maxTTL: -1 } }, /"undiciTransport dns.maxTTL"/],
  ])('%o is a TypeError that names it', (options, message) => {
    expect(() => undiciTransport(options as never)).toThrow(message)
  })
})
