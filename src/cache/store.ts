/** The one small interface every cache store implements, so that a shared store can be plugged in. */

/**
 * A policy serialised to plain JSON (http-cache-semantics' `toObject()`): opaque to stores, which
 * keep it as it is, and kept out of the public types so that they need no other package's.
 */
export type SerialisedPolicy = Readonly<Record<string, unknown>>

/** One stored response. */
export interface CacheEntry {
  /** http-cache-semantics' policy, serialised: the stored request and response heads and their times. */
  readonly policy: SerialisedPolicy
  readonly status: number
  readonly statusText: string
  readonly body: Uint8Array
  /**
   * The request headers the response's Vary names, as they were sent; a request with other
   * values is not served this entry.
   */
  readonly vary: Readonly<Record<string, string | null>>
  /** A hash of the request's Authorization and Cookie, or `''` without them. */
  readonly credentials: string
  /** Bytes the entry takes: its body and its heads. */
  readonly size: number
}

export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>
  /** Stores `entry` under `key`, replacing any; a store may decline an entry too large for it. */
  set(key: string, entry: CacheEntry): Promise<void>
  delete(key: string): Promise<void>
}
