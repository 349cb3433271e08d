/**
 * A replica built exactly as docs/replicas.md says, for test/redis/docs-setup.test.ts: the lines
 * between the `docs:` markers appear in the docs word for word (the test checks), but for the
 * imports, which name the sources here rather than the package. It calls `ORIGIN` every 20 ms and
 * writes each result's kind on a line of its own, for as long as it lives.
 *
 *   REDIS_URL=redis://127.0.0.1:P ORIGIN=http://127.0.0.1:Q/ CLIENT=redis|ioredis|iovalkey node docs-replica.ts
 */
import { Redis as Ioredis } from 'ioredis'
import { Redis as Iovalkey } from 'iovalkey'
import { createClient as createRedis } from 'redis'
import { createClient } from '../../src/index.ts'
import { redisCacheStore, redisPolicyStore } from '../../src/redis.ts'

async function nodeRedis() {
  // docs:begin node-redis
  const redis = createRedis({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // While Redis is away, commands fail at once instead of queueing; the client reconnects.
    disableOfflineQueue: true,
  })
  redis.on('error', (error) => console.warn('redis:', error.message))
  await redis.connect()
  // docs:end
  // docs:begin subscriber
  const subscriber = redis.duplicate() // node-redis; ioredis: redis.duplicate() too
  await subscriber.connect()
  // docs:end
  return { redis, subscriber }
}

/** ioredis and iovalkey as the docs name them: `new Redis({ enableOfflineQueue: false })`, `redis.duplicate()`. */
function ioredisLike(Redis: typeof Ioredis) {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableOfflineQueue: false })
  redis.on('error', (error: Error) => console.warn('redis:', error.message))
  const subscriber = redis.duplicate()
  return { redis, subscriber }
}

const kind = process.env.CLIENT ?? 'redis'
const { redis, subscriber } =
  kind === 'ioredis'
    ? ioredisLike(Ioredis)
    : kind === 'iovalkey'
      ? ioredisLike(Iovalkey as unknown as typeof Ioredis)
      : await nodeRedis()

// docs:begin client
const store = redisPolicyStore(redis, { prefix: 'orders-svc:retry:', subscriber })

export const api = createClient({
  baseUrl: 'https://api.example.com/',
  cache: { store: redisCacheStore(redis, { prefix: 'orders-svc:cache:' }) },
  retry: { store },
  circuitBreaker: { store }, // with the breaker's own options beside it, the same in every replica
})
// docs:end

const origin = process.env.ORIGIN as string
for (;;) {
  const result = await api.get(origin)
  process.stdout.write(`${result.kind}\n`)
  await new Promise((resolve) => setTimeout(resolve, 20))
}
