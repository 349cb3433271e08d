/**
 * The circuit breakers of a fleet on Redis (`circuitBreaker.store: redisPolicyStore(redis, {
 * subscriber })`): a breaker that opens in one replica sets the key `{key}:break` for its break and
 * tells every replica over pub/sub; when the break ends, one probe goes for the fleet, claimed by
 * counting on `{key}:probes`; the probe's outcome is told the same way. While the breaker is closed
 * a call makes no round trip for it (the news arrive pushed) but every SYNC_INTERVAL per key, and
 * one for each failed attempt, counted in the fleet's window (FAILED), so that the fleet's
 * breaker opens on the fleet's failures; successes are counted there with the store's flush.
 */
import type { BreakerSettings } from '../resilience/breaker.ts'
import type { BreakerNews, BreakerStore, ProbeClaim } from '../resilience/breaker-store.ts'
import { listen, type RedisSubscriber } from './mirror.ts'

/** Opens the fleet's break for ARGV[1] ms, forgets the probes claimed, and tells the replicas. */
const OPEN = `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`

/** Ends the fleet's break and its probes, and tells the replicas. */
const CLOSE = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`

/** The fleet's break's time left, ms (0: none). */
const OPEN_FOR = `
return math.max(0, redis.call('PTTL', KEYS[1]))
`

/**
 * One of ARGV[1] probe places, each held for ARGV[2] ms: 0 when claimed, else the ms until the
 * fleet's break (or the probes out) end.
 */
const CLAIM = `
local left = redis.call('PTTL', KEYS[1])
if left > 0 then return left end
local claimed = redis.call('INCR', KEYS[2])
if claimed == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
if claimed > tonumber(ARGV[1]) then return math.max(1, redis.call('PTTL', KEYS[2])) end
return 0
`

/**
 * Counts a failure in the fleet's window and opens the fleet's break once the window's failures
 * reach the ratio (as a replica's own breaker would, on every replica's attempts). KEYS: the
 * break, the probes, then the window's attempt buckets and its failure buckets, this bucket's last
 * in each. ARGV: the buckets' TTL, the minimum throughput, the ratio, the break (ms), the channel
 * and the message that tells the replicas. Returns the break's time left, ms (0: none).
 */
const FAILED = `
local left = redis.call('PTTL', KEYS[1])
if left > 0 then return left end
local n = (#KEYS - 2) / 2
for _, at in ipairs({2 + n, 2 + 2 * n}) do
  redis.call('INCR', KEYS[at])
  redis.call('PEXPIRE', KEYS[at], ARGV[1])
end
local attempts, failures = 0, 0
for i = 1, n do
  attempts = attempts + (tonumber(redis.call('GET', KEYS[2 + i])) or 0)
  failures = failures + (tonumber(redis.call('GET', KEYS[2 + n + i])) or 0)
end
if attempts < tonumber(ARGV[2]) or failures < attempts * tonumber(ARGV[3]) then return 0 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[4])
redis.call('DEL', KEYS[2])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return tonumber(ARGV[4])
`

type Run = (script: string, keys: string[], args: (string | number)[]) => Promise<unknown>
/** Counts `delta` under a Redis key, sent with the store's next flush. */
type Count = (group: string, redisKey: string, ttl: number, delta: number) => void

/** Buckets a fleet's window is kept in: each a tenth of it, as a replica's own breaker keeps it. */
const BUCKETS = 10

export function redisBreakers(
  run: Run,
  count: Count,
  keyOf: (key: string, name: string) => string,
  channel: string,
  subscriber: RedisSubscriber | undefined,
): BreakerStore {
  /** The window's buckets at `now`: their indexes, oldest first, and how long a count is kept. */
  const window = (settings: BreakerSettings, now: number) => {
    const size = Math.max(1, Math.ceil(settings.samplingDuration / BUCKETS))
    const current = Math.floor(now / size)
    const first = Math.floor((now - settings.samplingDuration) / size) + 1
    const buckets = Array.from({ length: current - first + 1 }, (_, i) => first + i)
    return { buckets, current, ttl: settings.samplingDuration + size }
  }
  const watchers = new Set<(key: string, news: BreakerNews) => void>()
  let listening = false
  const keys = (key: string) => [keyOf(key, 'break'), keyOf(key, 'probes')]
  return {
    watch(listener) {
      if (!subscriber) {
        throw new TypeError(
          'fetchkind: circuitBreaker.store: a redisPolicyStore shares breakers only with its subscriber option',
        )
      }
      if (!listening) {
        listening = true
        listen(subscriber, channel, (message) => {
          const news = breakerNews(message)
          if (news) for (const watcher of watchers) watcher(news.key, news.news)
        }).catch(() => {})
      }
      watchers.add(listener)
      return () => watchers.delete(listener)
    },
    async openFor(key) {
      return Number(await run(OPEN_FOR, [keyOf(key, 'break')], []))
    },
    async opened(key, ms) {
      const whole = Math.max(1, Math.ceil(ms))
      await run(OPEN, keys(key), [whole, channel, breakerMessage(key, { state: 'open', ms: whole })])
    },
    async closed(key) {
      await run(CLOSE, keys(key), [channel, breakerMessage(key, { state: 'closed' })])
    },
    async failed(key, settings) {
      const { buckets, ttl } = window(settings, Date.now())
      const ms = Math.max(1, Math.ceil(settings.breakDuration))
      const reply = await run(
        FAILED,
        [
          ...keys(key),
          ...buckets.map((bucket) => keyOf(key, `fa:${bucket}`)),
          ...buckets.map((bucket) => keyOf(key, `ff:${bucket}`)),
        ],
        [
          ttl,
          settings.minimumThroughput,
          settings.failureRatio,
          ms,
          channel,
          breakerMessage(key, { state: 'open', ms }),
        ],
      )
      return Number(reply) || 0
    },
    succeeded(key, settings) {
      const { current, ttl } = window(settings, Date.now())
      count(key, keyOf(key, `fa:${current}`), ttl, 1)
    },
    async claimProbe(key, probes, ms): Promise<ProbeClaim> {
      const left = Number(await run(CLAIM, keys(key), [probes, Math.max(1, Math.ceil(ms))]))
      return left > 0 ? { claimed: false, ms: left } : { claimed: true }
    },
  }
}

/** The message news of a breaker is pushed with: `open\nms\nkey` or `closed\n0\nkey`. */
export function breakerMessage(key: string, news: BreakerNews): string {
  return news.state === 'open' ? `open\n${news.ms}\n${key}` : `closed\n0\n${key}`
}

/** A pushed message, as `breakerMessage` makes them; null for anything else. */
export function breakerNews(message: string): { key: string; news: BreakerNews } | null {
  const [state, ms, ...key] = message.split('\n')
  if (key.length === 0) return null
  if (state === 'closed') return { key: key.join('\n'), news: { state } }
  const open = Number(ms)
  if (state !== 'open' || !Number.isSafeInteger(open) || open <= 0) return null
  return { key: key.join('\n'), news: { state, ms: open } }
}
