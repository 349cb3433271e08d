/**
 * A cache store on Redis, so that the replicas of a service share one cache: one replica's ETag
 * saves the others a full body. fetchkind never imports a Redis client: pass yours (node-redis
 * `createClient()`, or anything with `get`, `pSetEx` and `del`).
 */
import CachePolicy from 'http-cache-semantics'
import type { CacheEntry, CacheStore } from '../cache/store.ts'

/** The three commands the store uses, as node-redis names them. */
export interface RedisCommands {
  get(key: string): Promise<string | null>
  pSetEx(key: string, milliseconds: number, value: string): Promise<unknown>
  del(key: string): Promise<unknown>
}

export interface RedisStoreOptions {
  /** Prepended to every key. Default `'fetchkind:cache:'`. */
  readonly prefix?: string
  /** The largest entry stored, in bytes; a larger one is declined. Default 1 MiB. */
  readonly maxEntrySize?: number
  /**
   * How long an entry with a validator (ETag, Last-Modified) is kept past its freshness, so that
   * replicas can still revalidate it with a 304. Default one day.
   */
  readonly validatorTtl?: number
  /** The longest a Redis command may take before the store gives up on it (a miss). Default 100 ms. */
  readonly timeout?: number
}

interface Stored {
  readonly entry: Omit<CacheEntry, 'body'>
  /** The body, base64: binary-safe in a string value. */
  readonly body: string
}

export function redisStore(redis: RedisCommands, options: RedisStoreOptions = {}): CacheStore {
  const {
    prefix = 'fetchkind:cache:',
    maxEntrySize = 1024 * 1024,
    validatorTtl = 86_400_000,
    timeout = 100,
  } = options
  const bounded = <T>(work: Promise<T>): Promise<T> => withTimeout(work, timeout)
  return {
    async get(key) {
      const text = await bounded(redis.get(prefix + key))
      if (text === null) return undefined
      const stored = JSON.parse(text) as Stored
      return { ...stored.entry, body: Buffer.from(stored.body, 'base64') }
    },
    async set(key, entry) {
      if (entry.size > maxEntrySize) return
      const ttl = timeToKeep(entry, validatorTtl)
      if (ttl <= 0) return
      const { body, ...head } = entry
      const stored: Stored = { entry: head, body: Buffer.from(body).toString('base64') }
      await bounded(redis.pSetEx(prefix + key, Math.ceil(ttl), JSON.stringify(stored)))
    },
    async delete(key) {
      await bounded(redis.del(prefix + key))
    },
  }
}

/** Fresh and stale windows (http-cache-semantics' timeToLive), or longer for an entry a 304 can renew. */
function timeToKeep(entry: CacheEntry, validatorTtl: number): number {
  const policy = CachePolicy.fromObject(entry.policy as unknown as CachePolicy.CachePolicyObject)
  const headers = policy.responseHeaders()
  const revalidatable = headers.etag !== undefined || headers['last-modified'] !== undefined
  return Math.max(policy.timeToLive(), revalidatable ? validatorTtl : 0)
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fetchkind: Redis did not answer within ${ms} ms`)), ms)
    work.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
