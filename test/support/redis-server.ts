/**
 * A real redis-server on a loopback port, for the Redis stores' tests. CI installs it (.ci/run);
 * on a machine without it the tests are skipped, saying so, and under CI=true they fail instead.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { Redis as Ioredis } from 'ioredis'
import { Redis as Iovalkey } from 'iovalkey'
import { createClient } from 'redis'
import { createClient as createClient5 } from 'redis5'
import { closedPort } from './loopback-origin.ts'

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) =>
  existsSync(path),
)

/** Throws under CI without redis-server; elsewhere warns that `file`'s tests are skipped. */
export function requireRedisServer(file: string): void {
  if (REDIS_SERVER) return
  if (process.env.CI)
    throw new Error('redis-server is not installed, and CI must run these tests: see .ci/run')
  console.warn(`${file}: redis-server is not installed here; skipping the Redis tests (CI runs them)`)
}

/** A client that fails fast while Redis is down, instead of queueing commands until it is back. */
export async function connectRedis(port: number) {
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } })
  client.on('error', () => {})
  await client.connect()
  return client
}

export type RedisClient = Awaited<ReturnType<typeof connectRedis>>

export class RedisServer {
  readonly port: number
  #process: ChildProcess | undefined

  private constructor(port: number) {
    this.port = port
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await closedPort())
    await server.restart()
    return server
  }

  /** Starts redis-server on this port (again), without persistence, and waits until it answers. */
  async restart(): Promise<void> {
    this.#process = spawn(
      REDIS_SERVER as string,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    )
    for (let i = 0; i < 100; i++) {
      const up = await connectRedis(this.port).then(
        (probe) => probe.quit().then(() => true),
        () => false,
      )
      if (up) return
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error('redis-server did not start')
  }

  /** Stops the server and waits until it has exited. */
  async stop(): Promise<void> {
    const running = this.#process
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
}

/** The same, on node-redis 5: the stores take either. */
export async function connectRedis5(port: number) {
  const client = createClient5({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** What ioredis and iovalkey are given: connected at once, failing fast while Redis is down. */
const IOREDIS_OPTIONS = {
  host: '127.0.0.1',
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
}

/** ioredis, connected: the stores take it as it is. */
export async function connectIoredis(port: number) {
  const client = new Ioredis({ ...IOREDIS_OPTIONS, port })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** iovalkey, ioredis's fork for Valkey: the same. */
export async function connectIovalkey(port: number) {
  const client = new Iovalkey({ ...IOREDIS_OPTIONS, port })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** Ends any of the clients above. */
export function closeClient(client: { destroy(): void } | { disconnect(): void }): void {
  if ('destroy' in client) client.destroy()
  else client.disconnect()
}
