/**
 * What fetchkind's Redis stores need of a Redis client, and how they call it: node-redis (v5, v6)
 * as it is, ioredis and iovalkey through the same ten lines any other client would need
 * (`redisCommands`); scripts by their SHA1 first (EVALSHA), loaded on first use; every command
 * bounded in time; and a breaker around the whole, so that a Redis that keeps failing is left
 * alone for a while instead of being asked again on every call. fetchkind never imports a Redis
 * client: pass yours, connected.
 */
import { createHash } from 'node:crypto'
import clusterKeySlot from 'cluster-key-slot'
import { LruMap } from '../ground/lru-map.ts'
import {
  checkBoolean,
  checkMethods,
  checkMilliseconds,
  checkObject,
  optionError,
} from '../ground/validate.ts'
import { untilAborted } from '../ground/wait.ts'
import { type Probe, RedisGate } from './gate.ts'

/**
 * The commands the stores use, as node-redis names them: the contract a client of your own
 * implements (see `redisCommands` for ioredis's).
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>
  /** A value as bytes; optional (without it the cache keeps bodies as base64 text, a third larger). */
  getBuffer?(key: string): Promise<Uint8Array | null>
  pSetEx(key: string, milliseconds: number, value: string | Uint8Array): Promise<unknown>
  del(key: string): Promise<unknown>
  /** Runs a Lua script: the retry store's counts and cooldowns change atomically, across replicas. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** Runs a script Redis already has, by its SHA1; optional (without it every script is sent whole). */
  evalSha?(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
}

/** An ioredis or iovalkey client: the same commands, in lower case, with positional script arguments. */
export interface IoredisLike {
  get(key: string): Promise<string | null>
  getBuffer?(key: string): Promise<Uint8Array | null>
  /** A Buffer, as ioredis types it (a Uint8Array is passed to it as a Buffer over the same bytes). */
  psetex(key: string, milliseconds: number, value: string | Buffer): Promise<unknown>
  del(key: string): Promise<unknown>
  eval(script: string, keyCount: number, ...keysAndArgs: string[]): Promise<unknown>
  evalsha(sha1: string, keyCount: number, ...keysAndArgs: string[]): Promise<unknown>
}

/**
 * node-redis with a `getBuffer` of its own (a view of the client that reads strings as bytes);
 * ioredis and iovalkey (by their lower-case `psetex` and `evalsha`) adapted; any other client as
 * it is.
 */
export function redisCommands(client: RedisCommands | IoredisLike): RedisCommands {
  if (!isIoredis(client)) return withBuffers(client)
  return {
    get: (key) => client.get(key),
    ...(typeof client.getBuffer === 'function'
      ? { getBuffer: (key: string) => (client.getBuffer as (key: string) => Promise<Uint8Array | null>)(key) }
      : {}),
    pSetEx: (key, ms, value) =>
      client.psetex(key, ms, typeof value === 'string' || Buffer.isBuffer(value) ? value : asBuffer(value)),
    del: (key) => client.del(key),
    eval: (script, { keys, arguments: args }) => client.eval(script, keys.length, ...keys, ...args),
    evalSha: (sha1, { keys, arguments: args }) => client.evalsha(sha1, keys.length, ...keys, ...args),
  }
}

/** The same bytes as a Buffer, not a copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** RESP's type byte for a bulk string ('$'), which node-redis maps to a type of the caller's choosing. */
const BLOB_STRING = 36

/** node-redis 5 and 6 read bulk strings as Buffers through `withTypeMapping`; other clients as they are. */
function withBuffers(client: RedisCommands): RedisCommands {
  const mapping = (client as { withTypeMapping?: (mapping: Record<number, unknown>) => RedisCommands })
    .withTypeMapping
  if (client.getBuffer || typeof mapping !== 'function') return client
  const buffers = mapping.call(client, { [BLOB_STRING]: Buffer })
  const { evalSha } = client
  const commands: RedisCommands = {
    get: (key) => client.get(key),
    getBuffer: (key) => buffers.get(key) as unknown as Promise<Uint8Array | null>,
    pSetEx: (key, ms, value) => client.pSetEx(key, ms, value),
    del: (key) => client.del(key),
    eval: (script, options) => client.eval(script, options),
  }
  if (evalSha) commands.evalSha = (sha1, options) => evalSha.call(client, sha1, options)
  return commands
}

function isIoredis(client: RedisCommands | IoredisLike): client is IoredisLike {
  const candidate = client as Partial<IoredisLike> & Partial<RedisCommands>
  const lowerCase = (upper: unknown, lower: unknown) =>
    typeof lower === 'function' && typeof upper !== 'function'
  return lowerCase(candidate.pSetEx, candidate.psetex) || lowerCase(candidate.evalSha, candidate.evalsha)
}

/** Connections already heard: each gets one listener, however many stores are given it. */
const heard = new WeakSet<object>()

/**
 * Listens for `'error'` on a connection the stores are given. node-redis, ioredis and iovalkey
 * emit one each time Redis goes away, and an EventEmitter with no listener for it throws it —
 * ending the process. The set-up every Redis guide shows (`redis.duplicate()` for the subscriber,
 * with no listener of its own) then crashed every replica when Redis was killed. What failed
 * reaches the calls anyway: their commands fail, and `meta.storeFallbacks` says so.
 */
export function hearErrors(connection: unknown): void {
  if (typeof connection !== 'object' || connection === null || heard.has(connection)) return
  const on = (connection as { on?: unknown }).on
  if (typeof on !== 'function') return
  heard.add(connection)
  on.call(connection, 'error', ignoreConnectionError)
}

function ignoreConnectionError(): void {
  // Heard so that it is not thrown; each command that fails meanwhile is noted on its call.
}

/** Every Redis store's options. */
export interface RedisOptions {
  /** Prepended to every key. */
  readonly prefix?: string | undefined
  /**
   * The longest a Redis command may take, in milliseconds, before the store gives up on it and
   * the call goes on without it (noted in `meta.storeFallbacks`). Default 100.
   */
  readonly timeout?: number | undefined
  /**
   * After repeated failures (three in a row, or half of at least 5 commands within 10 s), leave
   * Redis alone — calls go on without it at once, each noting "skipped" in `meta.storeFallbacks` —
   * while one cheap command at a time, in the background, finds out when it answers again.
   * Default `true`.
   */
  readonly breaker?: boolean | undefined
}

export const DEFAULT_TIMEOUT = 100

/** What ioredis and iovalkey call each command. */
const IOREDIS_NAMES: Record<keyof RedisCommands, keyof IoredisLike> = {
  get: 'get',
  getBuffer: 'getBuffer',
  pSetEx: 'psetex',
  del: 'del',
  eval: 'evalsha',
  evalSha: 'evalsha',
}

/** Checks what every Redis store takes; throws a TypeError naming the bad option. */
export function checkRedisOptions(
  redis: unknown,
  options: RedisOptions | undefined,
  store: string,
  commands: readonly (keyof RedisCommands)[],
): void {
  const has = (names: readonly string[]) =>
    typeof redis === 'object' &&
    redis !== null &&
    names.every((name) => typeof (redis as Record<string, unknown>)[name] === 'function')
  if (!has(commands) && !has(commands.map((command) => IOREDIS_NAMES[command]))) {
    // The error names node-redis's commands, the shape the README documents.
    checkMethods(redis, commands, `${store}(redis)`, 'a Redis client (node-redis, ioredis or iovalkey)')
  }
  checkObject(options, `${store} options`)
  const { prefix, timeout, breaker } = options ?? {}
  if (prefix !== undefined && typeof prefix !== 'string') throw optionError('prefix', 'a string', prefix)
  if (timeout !== undefined) checkMilliseconds(timeout, 'timeout', 1)
  if (breaker !== undefined) checkBoolean(breaker, 'breaker')
}

/**
 * How a store calls Redis: each command within `timeout`, scripts by SHA1 when the client can,
 * and, with the breaker, not at all while Redis keeps failing (gate.ts). There are two gates on
 * each command's way: one for the whole store (a Redis that is down or stalled) and one for the
 * key's hash slot (on a Redis Cluster, a master that is lost: the keys it held are skipped and the
 * others go on; on a single Redis the slots fail together and the whole store's gate closes first).
 */
export class RedisCaller {
  readonly #redis: RedisCommands
  readonly #timeout: number
  readonly #gates: Gates | null
  readonly #shas = new Map<string, string>()

  /**
   * `connection` is the client the store was given: the stores given one client share its
   * gates, so that a cache store and a retry store on one Redis close together.
   */
  constructor(
    redis: RedisCommands,
    { timeout = DEFAULT_TIMEOUT, breaker = true }: RedisOptions,
    connection: object = redis,
  ) {
    this.#redis = redis
    this.#timeout = timeout
    this.#gates = breaker ? gatesOf(connection, this.#probe, timeout) : null
  }

  /** One command on `key` (`work` given the client), bounded in time, through the gates. */
  async call<T>(key: string, work: (redis: RedisCommands) => Promise<T>): Promise<T> {
    const gates = this.#gates
    if (!gates) return withTimeout(work(this.#redis), this.#timeout)
    const now = Date.now()
    const storeClosed = gates.whole.closedUntil(now)
    if (storeClosed !== null) throw skipped('Redis', storeClosed)
    const slot = clusterKeySlot(key)
    const gate = gates.slot(slot)
    const slotClosed = gate.closedUntil(now)
    if (slotClosed !== null) throw skipped(`Redis hash slot ${slot} (its node may be down)`, slotClosed)
    let failed = true
    try {
      const value = await withTimeout(work(this.#redis), this.#timeout)
      failed = false
      return value
    } finally {
      gates.whole.record(failed, key, Date.now())
      gate.record(failed, key, Date.now())
    }
  }

  /** The cheapest command to `key`'s node, within the timeout: a gate's background probe. */
  readonly #probe = (key: string): Promise<unknown> => {
    const redis = this.#redis
    const sent =
      typeof redis.eval === 'function'
        ? redis.eval('return 1', { keys: [key], arguments: [] })
        : redis.get(key)
    return withTimeout(sent, this.#timeout)
  }

  /** A Lua script by its SHA1, sent whole the first time Redis does not have it (NOSCRIPT). */
  script(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) }
    // A script's keys share a hash slot (their hash tag): the first stands for them all.
    return this.call(keys[0] ?? '', async (redis) => {
      if (!redis.evalSha) return redis.eval(script, options)
      try {
        return await redis.evalSha(this.#sha(script), options)
      } catch (error) {
        if (!String((error as Error)?.message ?? error).includes('NOSCRIPT')) throw error
        return redis.eval(script, options)
      }
    })
  }

  #sha(script: string): string {
    let sha = this.#shas.get(script)
    if (!sha) {
      sha = createHash('sha1').update(script).digest('hex')
      this.#shas.set(script, sha)
    }
    return sha
  }
}

/** A connection's gates: one for the whole of it, one for each hash slot (there are 16 384). */
interface Gates {
  readonly whole: RedisGate
  slot(slot: number): RedisGate
}

const gatesByConnection = new WeakMap<object, Gates>()

/** The gates of `connection`, made with the first store's probe and timeout. */
function gatesOf(connection: object, probe: Probe, timeout: number): Gates {
  let gates = gatesByConnection.get(connection)
  if (!gates) {
    const slots = new LruMap<number, RedisGate>(16_384)
    gates = {
      whole: new RedisGate(probe, 'answered', timeout),
      slot: (slot) => slots.getOrMake(slot, () => new RedisGate(probe, 'failed')),
    }
    gatesByConnection.set(connection, gates)
  }
  return gates
}

function skipped(what: string, retryAt: number): Error {
  const ms = Math.max(0, retryAt - Date.now())
  return new Error(`fetchkind: ${what} skipped for ${ms} ms more after repeated failures`)
}

/** `work`, or a rejection once `ms` pass without an answer: a slow Redis is a Redis that is down. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  const timeout = AbortSignal.timeout(ms)
  return untilAborted(work, timeout).catch((error: unknown) => {
    throw error === timeout.reason ? new Error(`fetchkind: Redis did not answer within ${ms} ms`) : error
  })
}
