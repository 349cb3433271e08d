/**
 * The benchmark's origin, in a process of its own so that it never competes with a client for
 * the event loop. It answers from responses built once, on bare sockets: node:http's parser and
 * response objects cost this process 65–75 % of a core at concurrency 64, close enough to a whole
 * core that the origin, not the client, would set the pace of the fastest clients. Here it stays
 * well under half a core, and the bench reports its share for every sample (bench/sample.ts).
 *
 * Every client sends GETs without a body, one request per write or pipelined, so a request ends at
 * its blank line. Connections are kept until the client closes them: a server-side keep-alive
 * timeout makes every client race the server's closes. Prints its port, then serves until its
 * parent closes stdin.
 */

import type { AddressInfo } from 'node:net'
import { createServer, type Socket } from 'node:net'

const small = JSON.stringify({
  id: 42,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  roles: ['admin', 'ops'],
})
const large = Buffer.alloc(64 * 1024, 'x')
const document = JSON.stringify({
  items: Array.from({ length: 120 }, (_, i) => ({ id: i, name: `item ${i}` })),
})
const etag = '"doc-v1"'
const largeEtag = '"large-v1"'

/** The Date header, rebuilt once a second (an origin with a clock sends one: RFC 9110 §6.6.1). */
let date = new Date().toUTCString()
setInterval(() => {
  date = new Date().toUTCString()
}, 1000).unref()

/** One response: status line and headers (with Date filled in as it is sent), then the body. */
function answer(status: string, headers: Record<string, string>, body: string | Buffer = ''): () => Buffer {
  const payload = typeof body === 'string' ? Buffer.from(body) : body
  const fields = Object.entries({ ...headers, 'content-length': String(payload.length) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  let built = ''
  let bytes = Buffer.alloc(0)
  return () => {
    if (built !== date) {
      built = date
      bytes = Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\n${fields}date: ${date}\r\n\r\n`), payload])
    }
    return bytes
  }
}

const json = { 'content-type': 'application/json' }
const routes: Record<string, () => Buffer> = {
  '/small': answer('200 OK', json, small),
  '/large': answer('200 OK', { 'content-type': 'application/octet-stream' }, large),
  '/etag': answer('200 OK', { etag, 'cache-control': 'no-cache', ...json }, document),
  '/etag 304': answer('304 Not Modified', { etag, 'cache-control': 'no-cache' }),
  // The 64 KiB body with a validator: a 304 through the cache against /large's plain 200.
  '/etag-large': answer(
    '200 OK',
    { etag: largeEtag, 'cache-control': 'no-cache', 'content-type': 'application/octet-stream' },
    large,
  ),
  '/etag-large 304': answer('304 Not Modified', { etag: largeEtag, 'cache-control': 'no-cache' }),
  // One hop to the small document: the hop's cost is this scenario's time less small-c1's.
  '/redirect': answer('302 Found', { location: '/small' }),
  // The small document, so that a cache hit is measured against the network, not against JSON.parse.
  '/fresh': answer('200 OK', { 'cache-control': 'max-age=3600', ...json }, small),
  '/outage': answer('503 Service Unavailable', json, '{"error":"down"}'),
}
const notFound = answer('404 Not Found', {})
let outageRequests = 0

/** The response to one request's head (request line and header fields, without the blank line). */
function respond(head: string): Buffer {
  const path = head.slice(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1))
  if (path === '/outage') outageRequests += 1
  if (path === '/outage-count') {
    const count = JSON.stringify({ requests: outageRequests })
    outageRequests = 0
    return answer('200 OK', json, count)()
  }
  const validated = /\r\nif-none-match:/i.test(head) ? routes[`${path} 304`] : undefined
  return (validated ?? routes[path] ?? notFound)()
}

function serve(socket: Socket): void {
  socket.setNoDelay(true)
  let pending = ''
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1')
    let end = pending.indexOf('\r\n\r\n')
    while (end !== -1) {
      socket.write(respond(pending.slice(0, end)))
      pending = pending.slice(end + 4)
      end = pending.indexOf('\r\n\r\n')
    }
  })
  socket.on('error', () => socket.destroy())
}

const sockets = new Set<Socket>()
const server = createServer((socket) => {
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
  serve(socket)
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
process.stdin.on('end', () => {
  for (const socket of sockets) socket.destroy()
  server.close()
})
process.stdin.resume()
