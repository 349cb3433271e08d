/**
 * What fetchkind's Redis stores need of a Redis client, and the bound on how long they wait for
 * it. fetchkind never imports a Redis client: pass yours (node-redis `createClient()`, connected).
 */
import { untilAborted } from '../call/wait.ts'
import { checkMethods, checkMilliseconds, checkObject, optionError } from '../options/validate.ts'

/** The commands the stores use, as node-redis (v5, v6) names them. */
export interface RedisCommands {
  get(key: string): Promise<string | null>
  pSetEx(key: string, milliseconds: number, value: string): Promise<unknown>
  del(key: string): Promise<unknown>
  /** Runs a Lua script: the retry store's counts and cooldowns change atomically, across replicas. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
}

/** Every Redis store's options. */
export interface RedisOptions {
  /** Prepended to every key. */
  readonly prefix?: string
  /**
   * The longest a Redis command may take, in milliseconds, before the store gives up on it and
   * the call goes on without it (noted in `meta.storeFallbacks`). Default 100.
   */
  readonly timeout?: number
}

export const DEFAULT_TIMEOUT = 100

/** Checks what every Redis store takes; throws a TypeError naming the bad option. */
export function checkRedisOptions(
  redis: unknown,
  options: RedisOptions | undefined,
  store: string,
  commands: readonly (keyof RedisCommands)[],
): void {
  checkMethods(redis, commands, `${store}(redis)`, 'a Redis client')
  checkObject(options, `${store} options`)
  const { prefix, timeout } = options ?? {}
  if (prefix !== undefined && typeof prefix !== 'string') throw optionError('prefix', 'a string', prefix)
  if (timeout !== undefined) checkMilliseconds(timeout, 'timeout', 1)
}

/** `work`, or a rejection once `ms` pass without an answer: a slow Redis is a Redis that is down. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  const timeout = AbortSignal.timeout(ms)
  return untilAborted(work, timeout).catch((error: unknown) => {
    throw error === timeout.reason ? new Error(`fetchkind: Redis did not answer within ${ms} ms`) : error
  })
}
