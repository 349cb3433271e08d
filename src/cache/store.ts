/** The one small interface every cache store implements, so that a shared store can be plugged in. */

/**
 * The stored response's head, as plain JSON (cache/head.ts): opaque to stores, which keep it as
 * it is.
 */
export type SerialisedHead = Readonly<Record<string, unknown>>

/** One stored response. */
export interface CacheEntry {
  /** The response's stored header fields and when it was requested and received, as plain JSON. */
  readonly head: SerialisedHead
  readonly status: number
  readonly statusText: string
  readonly body: Uint8Array
  /**
   * The request headers the response's Vary names, as they were sent; a request with other
   * values is not served this entry.
   */
  readonly vary: Readonly<Record<string, string | null>>
  /** A keyed hash of the request's credentials (its sensitive headers), or `''` without them. */
  readonly credentialHash: string
  /** Bytes the entry takes: its body and its heads. */
  readonly size: number
}

export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>
  /** Stores `entry` under `key`, replacing any; a store may decline an entry too large for it. */
  set(key: string, entry: CacheEntry): Promise<void>
  delete(key: string): Promise<void>
}
