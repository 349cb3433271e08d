/**
 * One replica of a service, in its own process: a fetchkind client whose cache and retry stores
 * are on a shared Redis, as a service would set it up (README, "Many replicas"). The test drives
 * it over stdin with one JSON command a line and reads one JSON answer a line from stdout.
 *
 *   node test/support/replica.ts <redis port>
 *   → {"id":1,"url":"http://127.0.0.1:P/doc","count":1,"pause":0,"retry":{...},"rateLimit":{...},"concurrent":false}
 *   ← {"id":1,"results":[{kind,status,reason,cache,attempts,cooldown,storeFallbacks,retryStop}]}
 */
import { createInterface } from 'node:readline'
import { createClient as createRedis } from 'redis'
import { createClient, type RateLimitOptions, type RetryOptions } from '../../src/index.ts'
import { redisCacheStore, redisRetryStore } from '../../src/redis.ts'

interface Command {
  readonly id: number
  readonly url: string
  /** Calls to make, one after another. */
  readonly count: number
  /** Milliseconds between them. */
  readonly pause: number
  readonly retry?: RetryOptions
  /** A rate limit shared on the Redis: the calls go through a client made with it. */
  readonly rateLimit?: Omit<RateLimitOptions, 'store'>
  /** Whether to make the calls at once rather than one after another. */
  readonly concurrent?: boolean
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
const retryStore = redisRetryStore(redis, { prefix: 'replicas:retry:', timeout: 1000 })
const client = createClient({
  cache: { store: redisCacheStore(redis, { prefix: 'replicas:cache:', timeout: 1000 }) },
  retry: { store: retryStore },
})
/** Clients with a shared rate limit, one per limit asked for. */
const limited = new Map<string, ReturnType<typeof createClient>>()
function clientFor(command: Command) {
  if (!command.rateLimit) return client
  const key = JSON.stringify(command.rateLimit)
  let found = limited.get(key)
  if (!found) {
    found = client.extend({ rateLimit: { ...command.rateLimit, store: retryStore }, cache: false })
    limited.set(key, found)
  }
  return found
}

async function run(command: Command) {
  const one = async () => {
    const result = await clientFor(command).get(command.url, command.retry ? { retry: command.retry } : {})
    const { meta } = result
    return {
      kind: result.kind,
      status: 'status' in result ? result.status : null,
      reason: result.kind === 'refused' ? result.reason : null,
      cache: meta.cache,
      attempts: meta.attempts.length,
      cooldown: meta.cooldown,
      storeFallbacks: meta.storeFallbacks,
      retryStop: meta.retryStop,
      duration: meta.duration,
    }
  }
  if (command.concurrent) return Promise.all(Array.from({ length: command.count }, one))
  const results = []
  for (let i = 0; i < command.count; i++) {
    if (i > 0 && command.pause > 0) await new Promise((resolve) => setTimeout(resolve, command.pause))
    results.push(await one())
  }
  return results
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command
  process.stdout.write(`${JSON.stringify({ id: command.id, results: await run(command) })}\n`)
}
redis.destroy()
