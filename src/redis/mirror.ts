/**
 * Redis off the retry store's hot path: each replica keeps the cooldowns in memory, pushed to it
 * over pub/sub as any replica sets one, and counts its requests for the budget locally, sending
 * the counts in one script per origin every `flushInterval`. A call with nothing held back then
 * makes no Redis round trip. A key not synced for SYNC_INTERVAL is asked of Redis once (which
 * also counts the request there), so that a replica that started, or lost its subscription,
 * after a cooldown was set learns of it within that time.
 */

import { LruMap } from '../ground/lru-map.ts'
import { CooldownTable } from '../retry/cooldowns.ts'
import { MAX_COOLDOWN } from '../retry/limits.ts'
import type { Cooldown } from '../retry/store.ts'

/** How often a key is asked of Redis although nothing was pushed for it, ms. */
export const SYNC_INTERVAL = 10_000
/** The most keys mirrored; the least recently used are forgotten (and asked of Redis again). */
const MAX_KEYS = 10_000

/**
 * A connection in subscriber mode: node-redis's (`subscribe(channel, listener)`) or ioredis's
 * (`subscribe(channel)`, then `on('message', …)`). Typed loosely: the two clients' own types differ.
 */
export interface RedisSubscriber {
  subscribe(...args: never[]): unknown
  on?(...args: never[]): unknown
}

/** How the mirror calls either kind of subscriber. */
interface Subscribing {
  subscribe(channel: string, listener?: (message: string) => void): Promise<unknown>
  on?(event: 'message', listener: (channel: string, message: string) => void): unknown
}

/** Subscribes to `channel` on node-redis's kind of subscriber or ioredis's; settles once it holds. */
export async function listen(
  given: RedisSubscriber,
  channel: string,
  onMessage: (message: string) => void,
): Promise<void> {
  const subscriber = given as unknown as Subscribing
  // ioredis and iovalkey (known by their lower-case psetex) tell subscribers by an event.
  const ioredis = typeof (given as { psetex?: unknown }).psetex === 'function'
  if (ioredis && typeof subscriber.on === 'function') {
    await subscriber.subscribe(channel)
    subscriber.on('message', (from, message) => {
      if (from === channel) onMessage(message)
    })
  } else {
    await subscriber.subscribe(channel, onMessage)
  }
}

/**
 * A pushed cooldown, as `cooldownMessage` makes them; null for anything else. Anything that can
 * publish on the channel can send one: it is held no longer than this replica would hold one it
 * set itself (MAX_COOLDOWN), and the next sync with Redis ends it if Redis holds none.
 */
export function cooldownFromMessage(message: string): { key: string; cooldown: Cooldown } | null {
  const [status, ms, ...key] = message.split('\n')
  const sent = Number(ms)
  const cooldown = { status: Number(status), ms: Math.min(sent, MAX_COOLDOWN) }
  if (cooldown.status !== 429 && cooldown.status !== 503) return null
  if (!Number.isSafeInteger(sent) || sent <= 0 || key.length === 0) return null
  return { key: key.join('\n'), cooldown: cooldown as Cooldown }
}

/** The message a cooldown is pushed with: key, status and milliseconds, one a line. */
export function cooldownMessage(key: string, cooldown: Cooldown): string {
  return `${cooldown.status}\n${Math.ceil(cooldown.ms)}\n${key}`
}

export class CooldownMirror {
  readonly #cooldowns = new CooldownTable(MAX_KEYS)
  readonly #synced = new LruMap<string, number>(MAX_KEYS)
  /** Whether the subscription holds: until it does, nothing pushed can be trusted to arrive. */
  #listening = false

  /** Listens on `channel`; until the subscription holds, every key is asked of Redis as it is due. */
  constructor(subscriber: RedisSubscriber, channel: string) {
    // Until the subscription holds every key is asked of Redis; one that fails leaves it so.
    listen(subscriber, channel, (message) => this.#receive(message)).then(
      () => {
        this.#listening = true
      },
      () => {},
    )
  }

  /** The cooldown running for `key`, as pushed or synced. */
  running(key: string, now: number): Cooldown | null {
    return this.#cooldowns.running(key, now)
  }

  /** Whether `key` is due to be asked of Redis. */
  due(key: string, now: number): boolean {
    if (!this.#listening) return true
    const at = this.#synced.get(key)
    return at === undefined || now - at >= SYNC_INTERVAL
  }

  /** What Redis said of `key` just now: its cooldown, or none, whatever was pushed before. */
  synced(key: string, cooldown: Cooldown | null, now: number): void {
    this.#synced.set(key, now)
    if (cooldown) this.set(key, cooldown, now)
    else this.#cooldowns.forget(key)
  }

  set(key: string, cooldown: Cooldown, now: number): void {
    this.#cooldowns.set(key, cooldown, now)
  }

  #receive(message: string): void {
    const read = cooldownFromMessage(message)
    if (read) this.set(read.key, read.cooldown, Date.now())
  }
}

/** Budget counts kept here between flushes: Redis key → requests, and how long Redis keeps it. */
export class PendingCounts {
  readonly #byGroup = new Map<string, Map<string, { count: number; ttl: number }>>()

  /** `delta` requests (-1: one given back) under `redisKey`, of the origin `group` (its keys share a Cluster slot). */
  add(group: string, redisKey: string, ttl: number, delta = 1): void {
    let counts = this.#byGroup.get(group)
    if (!counts) {
      counts = new Map()
      this.#byGroup.set(group, counts)
    }
    const pending = counts.get(redisKey)
    if (pending) pending.count += delta
    else counts.set(redisKey, { count: delta, ttl })
  }

  /** Everything pending, by group, but the counts that came to nothing; and nothing left here. */
  take(): [string, Map<string, { count: number; ttl: number }>][] {
    const all: [string, Map<string, { count: number; ttl: number }>][] = []
    for (const [group, counts] of this.#byGroup) {
      for (const [key, { count }] of counts) if (count === 0) counts.delete(key)
      if (counts.size > 0) all.push([group, counts])
    }
    this.#byGroup.clear()
    return all
  }
}
