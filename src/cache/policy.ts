/**
 * The HTTP cache as a client assembles it: a client's `cache` (its store and settings, or `false`),
 * a request's `cache` (a Fetch cache mode), and the stage.
 */
import type { Policy } from '../call/policy.ts'
import {
  CACHE_NAMES,
  type CacheCallOptions,
  type CacheMode,
  type CacheOptions,
  type ClientCache,
  resolveClientCache,
  resolveRequestCacheMode,
} from './options.ts'
import { cacheStage } from './stage.ts'

/** A client's cache, and the options a request that names no mode gets. */
export interface CacheState {
  readonly cache: ClientCache | false
  readonly defaults: CacheCallOptions
}

export const cachePolicy: Policy<
  { readonly cache?: CacheOptions | false | undefined },
  { readonly cache?: CacheMode | false | undefined },
  CacheState,
  CacheCallOptions
> = {
  names: { client: { cache: CACHE_NAMES }, request: { cache: true } },
  shown: { cache: 'on, in memory, 50 MiB' },
  client: (options, parent) => {
    const cache = resolveClientCache(options.cache, parent?.cache)
    return { cache, defaults: { cacheMode: resolveRequestCacheMode(undefined, cache) } }
  },
  call: (options, client) =>
    options.cache === undefined
      ? client.defaults
      : { cacheMode: resolveRequestCacheMode(options.cache, client.cache) },
  stage: (client) => (client.cache === false ? null : cacheStage(client.cache)),
}
