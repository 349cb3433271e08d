/**
 * A hostile origin on 127.0.0.1: raw TCP, so that it can send what no well-behaved HTTP server
 * would — bad status lines, lying Content-Lengths, resets, trickles, oversized and conflicting
 * headers. Each path is one misbehaviour.
 */

import type { AddressInfo } from 'node:net'
import { createServer, type Server, type Socket } from 'node:net'
import { gzipSync } from 'node:zlib'

type Behaviour = (socket: Socket) => void

const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`
/** 32 MiB of zeros in about 32 KiB. */
const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024))

const BEHAVIOURS: Record<string, Behaviour> = {
  '/reset-before-headers': (socket) => socket.destroy(),
  '/reset-mid-body': (socket) => {
    socket.write(head(['HTTP/1.1 200 OK', 'content-type: text/plain', 'content-length: 1000']))
    socket.write('only the start')
    setTimeout(() => socket.destroy(), 10)
  },
  '/never': () => {},
  '/trickle': (socket) => {
    socket.write(head(['HTTP/1.1 200 OK', 'content-type: text/plain', 'content-length: 100000']))
    const timer = setInterval(() => socket.write('.'), 50)
    socket.on('close', () => clearInterval(timer))
  },
  '/short-body': (socket) => {
    socket.end(`${head(['HTTP/1.1 200 OK', 'content-type: application/json', 'content-length: 100'])}{"a":`)
  },
  '/long-body': (socket) => {
    socket.end(
      `${head(['HTTP/1.1 200 OK', 'content-type: text/plain', 'content-length: 5'])}hello and then some more`,
    )
  },
  '/bad-status-line': (socket) => socket.end(head(['HTTP/1.1 abc Weird', 'content-length: 0'])),
  '/status-999': (socket) => socket.end(head(['HTTP/1.1 999 Beyond', 'content-length: 0'])),
  '/status-42': (socket) => socket.end(head(['HTTP/1.1 42 Below', 'content-length: 0'])),
  '/huge-headers': (socket) =>
    socket.end(head(['HTTP/1.1 200 OK', `x-huge: ${'h'.repeat(20 * 1024)}`, 'content-length: 0'])),
  '/conflicting-length': (socket) =>
    socket.end(`${head(['HTTP/1.1 200 OK', 'content-length: 5', 'content-length: 7'])}hello`),
  '/duplicate-headers': (socket) =>
    socket.end(
      `${head(['HTTP/1.1 200 OK', 'content-type: application/json', 'content-type: text/plain', 'x-dup: 1', 'x-dup: 2', 'content-length: 2'])}{}`,
    ),
  '/garbage-location': (socket) =>
    socket.end(head(['HTTP/1.1 302 Found', 'location: http://[::1:bad', 'content-length: 0'])),
  '/garbage-retry-after': (socket) =>
    socket.end(
      head(['HTTP/1.1 503 Service Unavailable', 'retry-after: soon-ish, maybe', 'content-length: 0']),
    ),
  '/garbage-cache': (socket) =>
    socket.end(
      `${head(['HTTP/1.1 200 OK', 'etag: "un"terminated', 'etag: W/', 'cache-control: max-age=-1, max-age="x", no-cache=', 'expires: 0', 'date: not a date', 'content-type: application/json', 'content-length: 2'])}{}`,
    ),
  // A cacheable response whose Vary names no header a request could have.
  '/garbage-vary': (socket) =>
    socket.end(
      `${head(['HTTP/1.1 200 OK', 'cache-control: max-age=60', 'vary: accept language, x"y', 'content-type: application/json', 'content-length: 2'])}{}`,
    ),
  '/not-http': (socket) => socket.end('SSH-2.0-OpenSSH_9.0\r\n'),
  '/gzip-bomb': (socket) => {
    socket.write(
      head([
        'HTTP/1.1 200 OK',
        'content-type: application/octet-stream',
        'content-encoding: gzip',
        `content-length: ${bomb.byteLength}`,
      ]),
    )
    socket.end(bomb)
  },
}

export interface ChaosOrigin {
  readonly url: string
  readonly stop: () => Promise<void>
}

export async function startChaosOrigin(extra: Record<string, Behaviour> = {}): Promise<ChaosOrigin> {
  const behaviours = { ...BEHAVIOURS, ...extra }
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    let received = ''
    socket.on('data', (chunk) => {
      if (received.includes('\r\n\r\n')) return
      received += chunk.toString('latin1')
      if (!received.includes('\r\n\r\n')) return
      const path = received.split(' ')[1] ?? '/'
      const pathname = new URL(path, 'http://x').pathname
      const hops = /^\/hops\/(\d+)$/.exec(pathname)
      const behaviour = behaviours[pathname]
      if (hops)
        socket.end(
          head(['HTTP/1.1 302 Found', `location: /hops/${Number(hops[1]) + 1}`, 'content-length: 0']),
        )
      else if (behaviour) behaviour(socket)
      else socket.end(head(['HTTP/1.1 404 Not Found', 'content-length: 0']))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
