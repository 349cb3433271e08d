/**
 * One replica of a service, in its own process: a fetchkind client whose cache and retry stores
 * are on a shared Redis, as a service would set it up (README, "Many replicas"). The test drives
 * it over stdin with one JSON command a line and reads one JSON answer a line from stdout.
 *
 *   node test/support/replica.ts <redis port> <single | cluster> <store timeout, ms>
 *   → {"id":1,"url":"http://127.0.0.1:P/doc","count":1,"pause":0,"retry":{...},"rateLimit":{...},
 *      "circuitBreaker":{...},"concurrent":false}
 *   ← {"id":1,"results":[{kind,status,reason,cache,attempts,cooldown,storeFallbacks,retryStop}]}
 */
import { createInterface } from 'node:readline'
import { createCluster, createClient as createRedis } from 'redis'
import {
  type CircuitBreakerOptions,
  createClient,
  type RateLimitOptions,
  type RetryOptions,
} from '../../src/index.ts'
import { redisCacheStore, redisPolicyStore } from '../../src/redis.ts'

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
  /** A circuit breaker shared on the Redis: the calls go through a client made with it. */
  readonly circuitBreaker?: Omit<CircuitBreakerOptions, 'store'>
  /** Whether to make the calls at once rather than one after another. */
  readonly concurrent?: boolean
}

const [port, topology, timeoutArgument] = process.argv.slice(2)
// The set-up the README recommends: commands fail at once while Redis is away (no offline queue),
// and the client reconnects when it is back.
const socket = { reconnectStrategy: (retries: number) => Math.min(50 * retries, 500) }
const redis =
  topology === 'cluster'
    ? createCluster({
        rootNodes: [{ url: `redis://127.0.0.1:${port}` }],
        defaults: { socket, disableOfflineQueue: true },
      })
    : createRedis({ socket: { host: '127.0.0.1', port: Number(port), ...socket }, disableOfflineQueue: true })
redis.on('error', () => {})
await redis.connect()

// By default a timeout above a busy CI machine's slowest Redis answer, so that a slow moment never
// passes for Redis being down; with Redis down, node-redis rejects at once (no offline queue).
const timeout = Number(timeoutArgument ?? 1000)
const retryStore = redisPolicyStore(redis, { prefix: 'replicas:retry:', timeout })
// Breakers are shared by pub/sub: a second connection, in subscriber mode.
const subscriber = redis.duplicate()
subscriber.on('error', () => {})
await subscriber.connect()
const breakerStore = redisPolicyStore(redis, { prefix: 'replicas:breaker:', timeout, subscriber })
const client = createClient({
  cache: { store: redisCacheStore(redis, { prefix: 'replicas:cache:', timeout }) },
  retry: { store: retryStore },
})
/** Clients with a shared rate limit or breaker, one per set of options asked for. */
const clients = new Map<string, ReturnType<typeof createClient>>()
function clientFor({ rateLimit, circuitBreaker }: Command) {
  if (!rateLimit && !circuitBreaker) return client
  const key = JSON.stringify({ rateLimit, circuitBreaker })
  let found = clients.get(key)
  if (!found) {
    found = client.extend({
      ...(rateLimit ? { rateLimit: { ...rateLimit, store: retryStore } } : {}),
      ...(circuitBreaker ? { circuitBreaker: { ...circuitBreaker, store: breakerStore } } : {}),
      cache: false,
    })
    clients.set(key, found)
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
subscriber.destroy()
