/**
 * One replica of a service, in its own process: a fetchkind client whose cache and retry stores
 * are on a shared Redis, as a service would set it up (README, "Many replicas"). The test drives
 * it over stdin with one JSON command a line and reads one JSON answer a line from stdout.
 *
 *   node test/support/replica.ts <redis port>
 *   → {"id":1,"url":"http://127.0.0.1:P/doc","count":1,"pause":0,"retry":{...}}
 *   ← {"id":1,"results":[{kind,status,cache,attempts,cooldown,storeFallbacks,retryStop}]}
 */
import { createInterface } from 'node:readline'
import { createClient as createRedis } from 'redis'
import { createClient, type RetryOptions } from '../../src/index.ts'
import { redisCacheStore, redisRetryStore } from '../../src/redis.ts'

interface Command {
  readonly id: number
  readonly url: string
  /** Calls to make, one after another. */
  readonly count: number
  /** Milliseconds between them. */
  readonly pause: number
  readonly retry?: RetryOptions
}

const port = Number(process.argv[2])
// The set-up the README recommends: commands fail at once while Redis is away (no offline queue),
// and the client reconnects when it is back.
const redis = createRedis({
  socket: { host: '127.0.0.1', port, reconnectStrategy: (retries) => Math.min(50 * retries, 500) },
  disableOfflineQueue: true,
})
redis.on('error', () => {})
await redis.connect()

// A timeout above a busy CI machine's slowest Redis answer, so that a slow moment never passes for
// Redis being down; with Redis down, node-redis rejects at once (no offline queue), timeout or not.
const client = createClient({
  cache: { store: redisCacheStore(redis, { prefix: 'replicas:cache:', timeout: 1000 }) },
  retry: { store: redisRetryStore(redis, { prefix: 'replicas:retry:', timeout: 1000 }) },
})

async function run(command: Command) {
  const results = []
  for (let i = 0; i < command.count; i++) {
    if (i > 0 && command.pause > 0) await new Promise((resolve) => setTimeout(resolve, command.pause))
    const result = await client.get(command.url, command.retry ? { retry: command.retry } : {})
    const { meta } = result
    results.push({
      kind: result.kind,
      status: 'status' in result ? result.status : null,
      cache: meta.cache,
      attempts: meta.attempts.length,
      cooldown: meta.cooldown,
      storeFallbacks: meta.storeFallbacks,
      retryStop: meta.retryStop,
      duration: meta.duration,
    })
  }
  return results
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command
  process.stdout.write(`${JSON.stringify({ id: command.id, results: await run(command) })}\n`)
}
redis.destroy()
