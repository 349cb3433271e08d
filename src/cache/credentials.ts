/**
 * What the cache keeps of a request's credentials: only keyed hashes (HMAC-SHA-256), so that a
 * store — a shared Redis, say — never holds a token, a cookie or anything a reader could check
 * guesses against without the key. And the store keys: hashes too, so that no URL is a key's name.
 */
import * as crypto from 'node:crypto'
import { hrefWithoutFragment } from '../http/href.ts'
import { oncePerHeaders } from '../http/per-headers.ts'

/** Whose request this is, as the cache may know it. */
export interface Owner {
  readonly credentials: Credentials
  /** The keyed hash of its credentials an entry is stored with (`''` without any). */
  readonly fingerprint: string
  /**
   * Whether an entry stored without credentials may answer it: it sent none, or only cookies.
   * What anyone may fetch without credentials holds nothing of a user's; a browser serves it to
   * requests with cookies too. An Authorization or an API key keeps its own entries.
   */
  readonly sharesAnonymous: boolean
}

/**
 * The fingerprint of a `public` response (RFC 9111 §3.5): any request may be served it, whatever
 * its credentials. No hash is ever this.
 */
export const PUBLIC = '*'

/**
 * Whether `owner` may be served an entry stored with the fingerprint `stored`: its own, a
 * public one, or one stored without credentials when it may share those.
 */
export function mayServe(owner: Owner, stored: string): boolean {
  return stored === owner.fingerprint || stored === PUBLIC || (stored === '' && owner.sharesAnonymous)
}

/** The fingerprints of the entries `owner` may be served, its own first. */
export function servableFingerprints(owner: Owner): string[] {
  const fingerprints = [owner.fingerprint]
  if (owner.sharesAnonymous && owner.fingerprint !== '') fingerprints.push('')
  fingerprints.push(PUBLIC)
  return fingerprints
}

const COOKIES = new Set(['cookie', 'cookie2'])

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
   * Whose request this is: a keyed hash of every sensitive header sent (`''` without any), so that
   * one client carrying many users' credentials never serves one user's response to another.
   */
  ownerOf(headers: Headers): Owner {
    return this.#owners(headers)
  }

  /** Known once per Headers object. */
  readonly #owners = oncePerHeaders((headers) => this.#ownerOf(headers))

  #ownerOf(headers: Headers): Owner {
    let sent = ''
    let cookiesOnly = true
    for (const [name, value] of headers) {
      if (!this.#sensitive.has(name)) continue
      sent += `${name}: ${value}\n`
      cookiesOnly &&= COOKIES.has(name)
    }
    return {
      credentials: this,
      fingerprint: sent === '' ? '' : this.hash(sent),
      sharesAnonymous: cookiesOnly,
    }
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
  const href = hrefWithoutFragment(url)
  let key = RECENT_KEYS.get(href)
  if (key === undefined) {
    // A service calls the same few URLs over and over: their digests are kept rather than redone.
    if (RECENT_KEYS.size >= MAX_RECENT_KEYS) RECENT_KEYS.clear()
    key = sha256Hex(href)
    RECENT_KEYS.set(href, key)
  }
  return key
}

/** The keys of the URLs asked for lately, in this process only (a store sees digests alone). */
const RECENT_KEYS = new Map<string, string>()
const MAX_RECENT_KEYS = 1024

/**
 * The store key of one variant of a URL's responses (variants.ts): the URL's key, the family
 * of responses it belongs to, its credentials' fingerprint and its Vary'd request values.
 */
export function variantKey(
  key: string,
  family: string,
  fingerprint: string,
  vary: Readonly<Record<string, string | null>>,
): string {
  const values = Object.entries(vary).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return sha256Hex(`${key}\n${family}\n${fingerprint}\n${JSON.stringify(values)}`)
}

/**
 * crypto.hash is the one-shot digest (Node 21.7+), a third of createHash's cost; a runtime
 * without it takes the long way. Computed once per cacheable request, so it counts.
 */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex')
