/**
 * The fleet set-up docs/replicas.md shows, word for word, survives its Redis (issue 43): a replica
 * process on node-redis, ioredis or iovalkey keeps calling while Redis is killed and restarted
 * under it. The docs' set-up gave the subscriber no 'error' listener, and every replica exited
 * with code 1 when Redis went away.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { REDIS_SERVER, RedisServer, requireRedisServer } from '../support/redis-server.ts'

requireRedisServer('test/redis/docs-setup.test.ts')

const REPLICA = 'test/support/docs-replica.ts'

/** Each `docs:begin` block of the replica, as its lines. */
function blocks(source: string): string[][] {
  return [...source.matchAll(/\/\/ docs:begin[^\n]*\n([\s\S]*?)\/\/ docs:end/g)].map(([, body]) =>
    meaningful(body ?? ''),
  )
}

/** Non-empty lines, trimmed: indentation and blank lines are the layout's, not the code's. */
const meaningful = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

describe('the set-up in docs/replicas.md', () => {
  it('is the one the replica below runs, line for line', () => {
    const docs = meaningful(readFileSync('docs/replicas.md', 'utf8')).join('\n')
    const found = blocks(readFileSync(REPLICA, 'utf8'))
    expect(found).toHaveLength(3)
    for (const block of found) expect(docs).toContain(block.join('\n'))
  })
})

/** A replica process, and the kinds of result it has written so far. */
class DocsReplica {
  readonly process: ChildProcess
  readonly kinds: string[] = []
  stderr = ''

  constructor(client: string, redisPort: number, origin: string) {
    this.process = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', REPLICA], {
      env: { ...process.env, CLIENT: client, REDIS_URL: `redis://127.0.0.1:${redisPort}`, ORIGIN: origin },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.process.stdout?.setEncoding('utf8').on('data', (text: string) => {
      this.kinds.push(...text.split('\n').filter(Boolean))
    })
    this.process.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.stderr += text
    })
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null
  }

  /** Resolves once `count` more results have been written (or rejects when the process ends first). */
  async more(count: number): Promise<void> {
    const target = this.kinds.length + count
    while (this.kinds.length < target) {
      if (!this.alive) throw new Error(`the replica exited (${this.process.exitCode}):\n${this.stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

let redis: RedisServer
let origin: LoopbackOrigin

beforeAll(async () => {
  if (!REDIS_SERVER) return
  redis = await RedisServer.start()
  origin = await startOrigin({ '/': (_request, response) => response.writeHead(200).end('ok') })
}, 30_000)

afterAll(async () => {
  await redis?.stop()
  await origin?.stop()
})

describe.skipIf(!REDIS_SERVER)('a fleet built as the docs say', () => {
  it('keeps every replica serving through Redis killed and restarted, on each client', async () => {
    const replicas = ['redis', 'ioredis', 'iovalkey'].map(
      (client) => new DocsReplica(client, redis.port, `${origin.url}/`),
    )
    try {
      await Promise.all(replicas.map((replica) => replica.more(5)))
      await redis.stop()
      // Calls go on without Redis: each a success, its fallbacks noted.
      await Promise.all(replicas.map((replica) => replica.more(10)))
      await redis.restart()
      await Promise.all(replicas.map((replica) => replica.more(10)))
      for (const replica of replicas) {
        expect(replica.alive, replica.stderr).toBe(true)
        expect(new Set(replica.kinds)).toEqual(new Set(['success']))
      }
    } finally {
      for (const replica of replicas) replica.process.kill()
    }
  }, 60_000)
})
