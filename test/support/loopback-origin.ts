import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Route = (request: IncomingMessage, response: ServerResponse) => void

/** A real node:http server on 127.0.0.1 with one handler per path; closes every socket on stop. */
export interface LoopbackOrigin {
  readonly url: string
  /** How many TCP connections the server has accepted. */
  readonly connections: () => number
  readonly stop: () => Promise<void>
}

/** `host` is the loopback address it listens on: 127.0.0.1, or ::1 for an IPv6 origin. */
export async function startOrigin(
  routes: Record<string, Route>,
  host: '127.0.0.1' | '::1' = '127.0.0.1',
): Promise<LoopbackOrigin> {
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer((request, response) => {
    const route = routes[new URL(request.url ?? '/', 'http://x').pathname]
    if (route) route(request, response)
    else response.writeHead(404).end()
  })
  server.on('connection', (socket) => {
    connections += 1
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    connections: () => connections,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A port on 127.0.0.1 that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
