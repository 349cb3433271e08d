/**
 * What the cache keeps of a request's credentials: only keyed hashes (HMAC-SHA-256), so that a
 * store — a shared Redis, say — never holds a token, a cookie or anything a reader could check
 * guesses against without the key.
 */
import * as crypto from 'node:crypto'
import { hrefWithoutFragment } from '../http/href.ts'

/** One key per process unless the client is given one (`cache.credentialKey`). */
let processKey: Uint8Array | undefined

export function defaultCredentialKey(): Uint8Array {
  processKey ??= crypto.randomBytes(32)
  return processKey
}

/** A request's credentials as the cache may see them: the sensitive names, and the key to hash their values with. */
export class Credentials {
  readonly #sensitive: ReadonlySet<string>
  readonly #key: string | Uint8Array

  constructor(sensitive: ReadonlySet<string>, key: string | Uint8Array) {
    this.#sensitive = sensitive
    this.#key = key
  }

  isSensitive(name: string): boolean {
    return this.#sensitive.has(name)
  }

  /**
   * Whose response this is: a keyed hash of every sensitive header sent, or `''` without any,
   * so that one client carrying many users' credentials never serves one user's response to another.
   */
  fingerprint(headers: Headers): string {
    let sent = ''
    for (const [name, value] of headers) if (this.#sensitive.has(name)) sent += `${name}: ${value}\n`
    return sent === '' ? '' : this.hash(sent)
  }

  /** A header value as the cache may keep it: hashed when the header is sensitive. */
  keep(name: string, value: string | null): string | null {
    return value === null || !this.#sensitive.has(name) ? value : this.hash(value)
  }

  hash(value: string): string {
    return crypto.createHmac('sha256', this.#key).update(value).digest('hex')
  }
}

/**
 * The store key for a URL: a SHA-256 of it without its fragment, so that a secret in a query
 * string is never a key's name. Unkeyed, so that replicas sharing a store find each other's entries.
 */
export function cacheKey(url: URL): string {
  return sha256Hex(hrefWithoutFragment(url))
}

/**
 * crypto.hash is the one-shot digest (Node 21.7+), a third of createHash's cost; a runtime
 * without it takes the long way. Computed once per cacheable request, so it counts.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex')
