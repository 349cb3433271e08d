/**
 * The benchmark's origin, in a process of its own so that it never competes with a client for
 * the event loop. Keep-alive of 120 s: a short one makes every client race server-side closes.
 * Prints its port, then serves until its parent closes stdin.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

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
let outageRequests = 0

const server = createServer((request, response) => {
  request.resume()
  switch (request.url) {
    case '/small':
      response.writeHead(200, { 'content-type': 'application/json' }).end(small)
      return
    case '/large':
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(large)
      return
    case '/etag':
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag, 'cache-control': 'no-cache' }).end()
        return
      }
      response
        .writeHead(200, { etag, 'cache-control': 'no-cache', 'content-type': 'application/json' })
        .end(document)
      return
    case '/redirect':
      // One hop to the small document: the hop's cost is this scenario's time less small-c1's.
      response.writeHead(302, { location: '/small', 'content-length': '0' }).end()
      return
    case '/etag-large':
      // The 64 KiB body with a validator: a 304 through the cache against /large's plain 200.
      if (request.headers['if-none-match'] === largeEtag) {
        response.writeHead(304, { etag: largeEtag, 'cache-control': 'no-cache' }).end()
        return
      }
      response
        .writeHead(200, {
          etag: largeEtag,
          'cache-control': 'no-cache',
          'content-type': 'application/octet-stream',
        })
        .end(large)
      return
    case '/fresh':
      // The small document, so that a cache hit is measured against the network, not against JSON.parse.
      response
        .writeHead(200, { 'cache-control': 'max-age=3600', 'content-type': 'application/json' })
        .end(small)
      return
    case '/outage':
      outageRequests += 1
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}')
      return
    case '/outage-count': {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ requests: outageRequests }))
      outageRequests = 0
      return
    }
    default:
      response.writeHead(404).end()
  }
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 125_000

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
process.stdin.on('end', () => {
  server.closeAllConnections()
  server.close()
})
process.stdin.resume()
