/**
 * The policy store on Redis (retries, rate limits, circuit breakers), so that the replicas of a
 * service hold back together: one retry budget per origin across all of them, and the cooldown
 * one replica's 429 or 503 sets for every replica. Each operation is one Lua script, so counts
 * and cooldowns change atomically however many replicas race. The keys of one origin share a
 * hash tag, so that a Redis Cluster keeps them on one node, as a script needs.
 *
 * Budget counts live in buckets of at least one second, each a key that expires when it leaves
 * the window. The bucket is chosen by the replica's clock: replicas are assumed to agree on the
 * time to well within a second, as NTP keeps them. Cooldowns are Redis TTLs, so they need no clock.
 */

import type { BudgetOptions } from '../call/budget.ts'
import type { Complete } from '../ground/complete.ts'
import { checkMethods, checkMilliseconds } from '../ground/validate.ts'
import type { BreakerStore } from '../resilience/breaker-store.ts'
import type { RateLimitStore } from '../resilience/limiter.ts'
import type { Cooldown, RetryStore } from '../retry/store.ts'
import { redisBreakers } from './breakers.ts'
import {
  checkRedisOptions,
  hearErrors,
  type IoredisLike,
  RedisCaller,
  type RedisCommands,
  type RedisOptions,
  redisCommands,
} from './commands.ts'
import { CooldownMirror, cooldownMessage, PendingCounts, type RedisSubscriber } from './mirror.ts'

export interface RedisPolicyStoreOptions extends RedisOptions {
  /** Prepended to every key. Default `'fetchkind:retry:'`. */
  readonly prefix?: string | undefined
  /**
   * A second connection, in subscriber mode (node-redis or ioredis: `redis.duplicate()`,
   * connected): with it each replica keeps the cooldowns in memory, pushed over pub/sub as any
   * replica sets one, and counts its requests locally, sending the counts every `flushInterval` —
   * a call with nothing held back makes no Redis round trip. Default: none, one round trip a call.
   */
  readonly subscriber?: RedisSubscriber | undefined
  /**
   * How long counts kept here wait before they are sent to Redis, ms: requests counted with a
   * `subscriber`, and refused requests' counts given back. Nothing is sent while there are none.
   * Default 250.
   */
  readonly flushInterval?: number | undefined
}

/** Tells the cooldown running, as [status, ms left]; or, with none, counts the request (when a bucket key is given). */
const ADMIT = `
local left = redis.call('PTTL', KEYS[1])
if left > 0 then return {redis.call('GET', KEYS[1]), left} end
if KEYS[2] then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return false
`

/**
 * KEYS: the window's request counts, then its retry counts, this bucket's last. Takes one retry
 * when retries stay within max(ratio × requests, floor), as the in-memory budget does.
 */
const WITHDRAW = `
local n = #KEYS / 2
local requests, retries = 0, 0
for i = 1, n do
  requests = requests + (tonumber(redis.call('GET', KEYS[i])) or 0)
  retries = retries + (tonumber(redis.call('GET', KEYS[n + i])) or 0)
end
if retries + 1 > math.max(requests * tonumber(ARGV[1]), tonumber(ARGV[2])) then return 0 end
redis.call('INCR', KEYS[#KEYS])
redis.call('PEXPIRE', KEYS[#KEYS], ARGV[3])
return 1
`

/**
 * Sets the cooldown unless a longer one is running, and tells the mirrors on the channel ARGV[5]
 * (when there is one) with the message ARGV[6]. With an evidence key (KEYS[2]), counts this
 * response first, in a window that starts with the first (ARGV[4] ms), and sets nothing until
 * ARGV[3] responses were counted.
 */
const COOL_DOWN = `
if KEYS[2] then
  local seen = redis.call('INCR', KEYS[2])
  if seen == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
  if seen < tonumber(ARGV[3]) then return 0 end
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
end
return 1
`

/**
 * Adds counted requests: KEYS the buckets, ARGV their counts then their TTLs. A count given back
 * (negative) takes from a bucket that still holds some, never below nothing.
 */
const FLUSH = `
local n = #KEYS
for i = 1, n do
  local count = tonumber(ARGV[i])
  if count < 0 then
    local held = tonumber(redis.call('GET', KEYS[i]) or '0')
    count = math.max(count, -held)
  end
  if count ~= 0 then
    redis.call('INCRBY', KEYS[i], count)
    redis.call('PEXPIRE', KEYS[i], ARGV[n + i])
  end
end
return n
`

/**
 * A turn under a rate limit, GCRA on Redis's clock (TIME), so that replicas need not agree on the
 * time. KEYS: the theoretical arrival time, the time before which the upstream said none may go.
 * ARGV: ms between requests (0 for no limit of our own), the burst's tolerance, the longest wait.
 * Returns {1, wait} or {0, ms until a turn}.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
local emission = tonumber(ARGV[1])
local tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now, held)
local allowed = tat
if emission > 0 then allowed = math.max(tat - tonumber(ARGV[2]), held) end
local wait = math.max(0, allowed - now)
if wait > tonumber(ARGV[3]) then return {0, math.ceil(wait)} end
if emission > 0 then
  redis.call('SET', KEYS[1], tostring(tat + emission), 'PX', math.ceil(tat + emission - now) + 1000)
end
return {1, math.ceil(wait)}
`

/** Holds every request under a key back for ARGV[1] ms, on Redis's clock; a longer hold stays. */
const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], tostring(until_), 'PX', ARGV[1])
end
return 1
`

/**
 * The policy store on your Redis client: a retry store (`retry.store`), a rate limit store
 * (`rateLimit.store`: one rate limit per key across the replicas) and, with a `subscriber`, a
 * breaker store (`circuitBreaker.store`: one breaker per key across them). Throws a TypeError
 * naming a bad option.
 */
export function redisPolicyStore(
  redis: Pick<RedisCommands, 'eval'> | Pick<IoredisLike, 'eval' | 'evalsha'>,
  options: RedisPolicyStoreOptions = {},
): RetryStore & RateLimitStore & BreakerStore {
  checkRedisOptions(redis, options, 'redisPolicyStore', ['eval'])
  const { prefix = 'fetchkind:retry:', subscriber, flushInterval } = options
  if (subscriber !== undefined) {
    checkMethods(
      subscriber,
      ['subscribe'],
      'redisPolicyStore subscriber',
      'a Redis connection to subscribe with',
    )
  }
  if (flushInterval !== undefined) checkMilliseconds(flushInterval, 'flushInterval', 1)
  hearErrors(redis)
  hearErrors(subscriber)
  const caller = new RedisCaller(redisCommands(redis as RedisCommands | IoredisLike), options, redis)
  // The braces are a hash tag: a cluster keeps all of an origin's keys on one node.
  const keyOf = (origin: string, name: string) => `${prefix}{${origin}}:${name}`
  const run = (script: string, keys: string[], args: (string | number)[]) => caller.script(script, keys, args)

  const channel = `${prefix}cooldowns`
  const mirror = subscriber ? new CooldownMirror(subscriber, channel) : null
  const pending = new PendingCounts()
  let flushing = false
  const flush = () => {
    flushing = false
    for (const [, counts] of pending.take()) {
      const keys = [...counts.keys()]
      const values = [...counts.values()]
      // Counts lost to a failing Redis leave the shared budget a little lower: it errs on sending less.
      run(FLUSH, keys, [...values.map(({ count }) => count), ...values.map(({ ttl }) => ttl)]).catch(() => {})
    }
  }
  /** Counts `delta` requests under `redisKey`, sent within `flushInterval`; nothing is sent while nothing is counted. */
  const count = (origin: string, redisKey: string, ttl: number, delta: number) => {
    pending.add(origin, redisKey, ttl, delta)
    if (flushing) return
    flushing = true
    // Unreferenced: a store must never keep its process alive.
    setTimeout(flush, flushInterval ?? 250).unref()
  }

  return {
    ...redisBreakers(run, count, keyOf, `${prefix}breakers`, subscriber),
    async admit(origin, budget) {
      if (mirror) {
        const now = Date.now()
        if (!mirror.due(origin, now)) {
          const running = mirror.running(origin, now)
          if (running) return running
          if (budget !== false) {
            const buckets = bucketsOf(budget, now)
            count(origin, keyOf(origin, `q:${buckets.current}`), buckets.ttl, 1)
          }
          return null
        }
      }
      const keys = [keyOf(origin, 'cooldown')]
      let ttl = 0
      if (budget !== false) {
        const buckets = bucketsOf(budget, Date.now())
        keys.push(keyOf(origin, `q:${buckets.current}`))
        ttl = buckets.ttl
      }
      const cooldown = cooldownFrom(await run(ADMIT, keys, [ttl]))
      mirror?.synced(origin, cooldown, Date.now())
      return cooldown
    },
    unsent(origin, budget) {
      const buckets = bucketsOf(budget, Date.now())
      count(origin, keyOf(origin, `q:${buckets.current}`), buckets.ttl, -1)
    },
    async withdraw(origin, budget) {
      const { first, current, ttl } = bucketsOf(budget, Date.now())
      const buckets = Array.from({ length: current - first + 1 }, (_, i) => first + i)
      const keys = [
        ...buckets.map((bucket) => keyOf(origin, `q:${bucket}`)),
        ...buckets.map((bucket) => keyOf(origin, `r:${bucket}`)),
      ]
      const floor = (budget.minPerSecond * budget.window) / 1000
      return (await run(WITHDRAW, keys, [budget.ratio, floor, ttl])) === 1
    },
    async take(key, settings, maxWait) {
      const emission = settings ? settings.interval / settings.limit : 0
      const tolerance = settings ? emission * (settings.burst - 1) : 0
      const reply = await run(TAKE, [keyOf(key, 'tat'), keyOf(key, 'held')], [emission, tolerance, maxWait])
      const [granted, ms] = Array.isArray(reply) ? reply.map(Number) : [0, 0]
      return granted === 1 ? { granted: true, wait: ms ?? 0 } : { granted: false, retryIn: ms ?? 0 }
    },
    async hold(key, ms) {
      await run(HOLD, [keyOf(key, 'held')], [Math.max(1, Math.ceil(ms))])
    },
    async coolDown(origin, cooldown, evidence) {
      const ms = Math.max(1, Math.ceil(cooldown.ms))
      const keys = [
        keyOf(origin, 'cooldown'),
        ...(evidence ? [keyOf(origin, `seen:${cooldown.status}`)] : []),
      ]
      const publish = mirror ? [channel, cooldownMessage(origin, { status: cooldown.status, ms })] : ['', '']
      const set = await run(COOL_DOWN, keys, [
        cooldown.status,
        ms,
        evidence?.responses ?? 1,
        Math.max(1, Math.ceil(evidence?.window ?? 1)),
        ...publish,
      ])
      // This replica's own mirror knows at once; the others when the message arrives.
      if (set === 1) mirror?.set(origin, { status: cooldown.status, ms }, Date.now())
    },
  }
}

/** At most this many buckets in a window: a long window gets longer buckets, not more keys. */
const MAX_BUCKETS = 30

/** The buckets in the window at `now`, by index, and how long a count must be kept. */
function bucketsOf(
  budget: Complete<BudgetOptions>,
  now: number,
): { first: number; current: number; ttl: number } {
  const size = Math.max(1000, Math.ceil(budget.window / MAX_BUCKETS))
  const current = Math.floor(now / size)
  // A bucket counts while any of it is inside the window, as in the in-memory budget.
  const first = Math.floor((now - budget.window) / size)
  return { first, current, ttl: budget.window + size }
}

function cooldownFrom(reply: unknown): Cooldown | null {
  if (!Array.isArray(reply)) return null
  const status = Number(reply[0])
  const ms = Number(reply[1])
  if ((status !== 429 && status !== 503) || !(ms > 0)) return null
  return { status, ms }
}
