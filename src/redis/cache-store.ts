/**
 * A cache store on Redis, so that the replicas of a service share one cache: one replica's ETag
 * saves the others a full body.
 */
import { freshnessOf, timeToLive } from '../cache/freshness.ts'
import { readHead } from '../cache/head.ts'
import type { CacheEntry, CacheStore } from '../cache/store.ts'
import { checkBytes, checkMilliseconds } from '../options/validate.ts'
import {
  checkRedisOptions,
  type IoredisLike,
  RedisCaller,
  type RedisCommands,
  type RedisOptions,
  redisCommands,
} from './commands.ts'

export interface RedisCacheStoreOptions extends RedisOptions {
  /** Prepended to every key. Default `'fetchkind:cache:'`. */
  readonly prefix?: string
  /** The largest entry stored, in bytes; a larger one is declined. Default 1 MiB. */
  readonly maxEntrySize?: number
  /**
   * How long an entry with a validator (ETag, Last-Modified) is kept past its freshness, in
   * milliseconds, so that replicas can still revalidate it with a 304. Default one day.
   */
  readonly validatorTtl?: number
}

interface Stored {
  readonly entry: Omit<CacheEntry, 'body'>
  /** The body, base64: binary-safe in a string value. */
  readonly body: string
}

/** A cache store (`cache.store`) on your Redis client. Throws a TypeError naming a bad option. */
export function redisCacheStore(
  redis: Pick<RedisCommands, 'get' | 'pSetEx' | 'del'> | Pick<IoredisLike, 'get' | 'psetex' | 'del'>,
  options: RedisCacheStoreOptions = {},
): CacheStore {
  checkRedisOptions(redis, options, 'redisCacheStore', ['get', 'pSetEx', 'del'])
  const { prefix = 'fetchkind:cache:', maxEntrySize = 1024 * 1024, validatorTtl = 86_400_000 } = options
  checkBytes(maxEntrySize, 'maxEntrySize')
  checkMilliseconds(validatorTtl, 'validatorTtl')
  const caller = new RedisCaller(redisCommands(redis as RedisCommands | IoredisLike), options)
  return {
    async get(key) {
      const text = await caller.call((client) => client.get(prefix + key))
      if (text === null) return undefined
      const stored = JSON.parse(text) as Stored | null
      if (typeof stored?.body !== 'string' || typeof stored.entry?.policy !== 'object') {
        throw new Error(`fetchkind: ${prefix + key} in Redis is not a cache entry`)
      }
      return { ...stored.entry, body: Buffer.from(stored.body, 'base64') }
    },
    async set(key, entry) {
      if (entry.size > maxEntrySize) return
      const ttl = timeToKeep(entry, validatorTtl)
      if (ttl <= 0) return
      const { body, ...head } = entry
      const stored: Stored = { entry: head, body: Buffer.from(body).toString('base64') }
      await caller.call((client) => client.pSetEx(prefix + key, Math.ceil(ttl), JSON.stringify(stored)))
    },
    async delete(key) {
      await caller.call((client) => client.del(prefix + key))
    },
  }
}

/** Fresh and stale windows, or longer for an entry a 304 can renew; 0 for an entry it cannot read. */
function timeToKeep(entry: CacheEntry, validatorTtl: number): number {
  const head = readHead(entry.policy)
  if (head === null) return 0
  const revalidatable = head.headers.etag !== undefined || head.headers['last-modified'] !== undefined
  return Math.max(
    timeToLive(freshnessOf(head, entry.status, Date.now())) * 1000,
    revalidatable ? validatorTtl : 0,
  )
}
