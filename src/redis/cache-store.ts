/**
 * A cache store on Redis, so that the replicas of a service share one cache: one replica's ETag
 * saves the others a full body.
 */
import { freshnessOf, timeToLive } from '../cache/freshness.ts'
import { readHead } from '../cache/head.ts'
import type { CacheEntry, CacheStore } from '../cache/store.ts'
import { checkBytes, checkMilliseconds } from '../ground/validate.ts'
import {
  checkRedisOptions,
  hearErrors,
  type IoredisLike,
  RedisCaller,
  type RedisCommands,
  type RedisOptions,
  redisCommands,
} from './commands.ts'

export interface RedisCacheStoreOptions extends RedisOptions {
  /** Prepended to every key. Default `'fetchkind:cache:'`. */
  readonly prefix?: string | undefined
  /** The largest entry stored, in bytes; a larger one is declined. Default 1 MiB. */
  readonly maxEntrySize?: number | undefined
  /**
   * How long an entry with a validator (ETag, Last-Modified) is kept past its freshness, in
   * milliseconds, so that replicas can still revalidate it with a 304. Default one day.
   */
  readonly validatorTtl?: number | undefined
}

/** The entry as JSON with its body in base64: for a client that cannot read bytes (`getBuffer`). */
interface StoredText {
  readonly entry: Omit<CacheEntry, 'body'>
  readonly body: string
}

/** A cache store (`cache.store`) on your Redis client. Throws a TypeError naming a bad option. */
export function redisCacheStore(
  redis: Pick<RedisCommands, 'get' | 'pSetEx' | 'del'> | Pick<IoredisLike, 'get' | 'psetex' | 'del'>,
  options: RedisCacheStoreOptions = {},
): CacheStore {
  checkRedisOptions(redis, options, 'redisCacheStore', ['get', 'pSetEx', 'del'])
  hearErrors(redis)
  const { prefix = 'fetchkind:cache:', maxEntrySize = 1024 * 1024, validatorTtl = 86_400_000 } = options
  checkBytes(maxEntrySize, 'maxEntrySize')
  checkMilliseconds(validatorTtl, 'validatorTtl')
  const commands = redisCommands(redis as RedisCommands | IoredisLike)
  const caller = new RedisCaller(commands, options, redis)
  // Bytes as they are when the client reads bytes back; base64 inside JSON otherwise.
  const binary = typeof commands.getBuffer === 'function'
  return {
    async get(key) {
      const at = prefix + key
      const value = binary
        ? await caller.call(at, (client) =>
            (client.getBuffer as (key: string) => Promise<Uint8Array | null>)(at),
          )
        : await caller.call(at, (client) => client.get(at))
      if (value === null) return undefined
      const entry = typeof value === 'string' ? fromText(value) : fromBytes(value)
      if (!entry) throw new Error(`fetchkind: ${at} in Redis is not a cache entry`)
      return entry
    },
    async set(key, entry) {
      if (entry.size > maxEntrySize) return
      const ttl = timeToKeep(entry, validatorTtl)
      if (ttl <= 0) return
      const value = binary ? toBytes(entry) : toText(entry)
      const at = prefix + key
      await caller.call(at, (client) => client.pSetEx(at, Math.ceil(ttl), value))
    },
    async delete(key) {
      const at = prefix + key
      await caller.call(at, (client) => client.del(at))
    },
  }
}

/**
 * The binary form: the head's length (4 bytes, big-endian), the head as JSON, then the body as it
 * is. A head of JSON text starts with `{`, a binary value with a zero byte: a store reads both,
 * so that entries written before keep being served.
 */
function toBytes(entry: CacheEntry): Uint8Array {
  const { body, ...head } = entry
  const text = Buffer.from(JSON.stringify(head))
  const bytes = Buffer.allocUnsafe(4 + text.byteLength + body.byteLength)
  bytes.writeUInt32BE(text.byteLength, 0)
  text.copy(bytes, 4)
  bytes.set(body, 4 + text.byteLength)
  return bytes
}

function fromBytes(value: Uint8Array): CacheEntry | null {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (bytes[0] === 0x7b) return fromText(bytes.toString())
  if (bytes.byteLength < 4) return null
  const length = bytes.readUInt32BE(0)
  if (4 + length > bytes.byteLength) return null
  const head = parsed(bytes.subarray(4, 4 + length).toString())
  if (!head) return null
  return { ...head, body: bytes.subarray(4 + length) } as CacheEntry
}

function toText(entry: CacheEntry): string {
  const { body, ...head } = entry
  const stored: StoredText = { entry: head, body: Buffer.from(body).toString('base64') }
  return JSON.stringify(stored)
}

function fromText(text: string): CacheEntry | null {
  const stored = parsedObject(text) as Partial<StoredText> | null
  const head = current(stored?.entry)
  if (typeof stored?.body !== 'string' || !head) return null
  return { ...head, body: Buffer.from(stored.body, 'base64') }
}

function parsed(text: string): Omit<CacheEntry, 'body'> | null {
  return current(parsedObject(text))
}

function parsedObject(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * An entry's head in this release's shape; one written by 0.1 named its fields `policy` and
 * `credentials`, read here under their new names so that entries already in Redis keep serving.
 */
function current(value: unknown): Omit<CacheEntry, 'body'> | null {
  const head = value as
    | (Partial<Omit<CacheEntry, 'body'>> & { policy?: unknown; credentials?: unknown })
    | null
  if (typeof head?.head === 'object') return head as Omit<CacheEntry, 'body'>
  if (typeof head?.policy !== 'object') return null
  const { policy, credentials, ...rest } = head
  return { ...rest, head: policy, credentialHash: credentials } as Omit<CacheEntry, 'body'>
}

/** Fresh and stale windows, or longer for an entry a 304 can renew; 0 for an entry it cannot read. */
function timeToKeep(entry: CacheEntry, validatorTtl: number): number {
  const head = readHead(entry.head)
  if (head === null) return 0
  const revalidatable = head.headers.etag !== undefined || head.headers['last-modified'] !== undefined
  return Math.max(
    timeToLive(freshnessOf(head, entry.status, Date.now())) * 1000,
    revalidatable ? validatorTtl : 0,
  )
}
