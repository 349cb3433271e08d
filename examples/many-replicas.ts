/**
 * Many replicas on one Redis: two clients stand for two replicas of a service (in production each
 * is its own process, set up the same way). Run with REDIS_URL set, e.g.
 *   redis-server --port 6390 --save '' &
 *   REDIS_URL=redis://127.0.0.1:6390 node examples/many-replicas.ts
 */
import { createClient } from 'fetchkind'
import { redisCacheStore, redisPolicyStore } from 'fetchkind/redis'
import { createClient as createRedis } from 'redis'
import { localOrigin } from './local-origin.ts'

let limited = false
const origin = await localOrigin((request, response) => {
  if (request.url === '/report') {
    // An ETag'd document: a replica that has it revalidates, and gets a 304.
    if (request.headers['if-none-match'] === '"r1"') return response.writeHead(304, { etag: '"r1"' }).end()
    return response.writeHead(200, { etag: '"r1"', 'cache-control': 'no-cache' }).end('the report')
  }
  // A rate limiter that refuses once, for a second.
  if (!limited) {
    limited = true
    return response.writeHead(429, { 'retry-after': '1' }).end()
  }
  response.writeHead(200).end('ok')
})

const redis = createRedis({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  disableOfflineQueue: true,
})
redis.on('error', (error) => console.warn('redis:', error.message))
await redis.connect()
const prefix = `example:${process.pid}:`

function replica() {
  return createClient({
    baseUrl: origin.url,
    cache: { store: redisCacheStore(redis, { prefix: `${prefix}cache:` }) },
    retry: { store: redisPolicyStore(redis, { prefix: `${prefix}retry:` }), limit: 0 },
  })
}
const [a, b] = [replica(), replica()]

// One replica fetches the report in full; the other revalidates the same entry and gets a 304.
console.log('a:', (await a.get('/report')).meta.cache)
console.log('b:', (await b.get('/report')).meta.cache)

// One replica is told to wait a second; the other waits it out before sending.
const refused = await a.get('/limited')
console.log('a:', refused.kind, 'status' in refused ? refused.status : null)
const held = await b.get('/limited')
console.log('b:', held.kind, held.meta.cooldown?.sent ? 'after waiting out the cooldown' : 'without waiting')

redis.destroy()
origin.close()
