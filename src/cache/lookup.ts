/**
 * Finding the stored response a request may be served: the one its URL's key holds, or else the
 * variant (variants.ts) stored for its Vary'd values and credentials.
 */
import { type Owner, servableFingerprints, variantKey } from './credentials.ts'
import { headOf, type Stored } from './entry.ts'
import { MemoryStore } from './memory-store.ts'
import type { CacheEntry, CacheStore } from './store.ts'
import { entryMatches, valuesFor } from './vary.ts'

/** What a lookup found. */
export interface Found {
  /** The response the request may be served, if any. */
  readonly stored: Stored | undefined
  /** The response the URL's key holds, whoever's it is: the family a new variant joins. */
  readonly latest: Stored | undefined
}

/** What a lookup finds in an empty slot. */
const NOTHING: Found = Object.freeze({ stored: undefined, latest: undefined })

/**
 * The lookup, answered at once from the in-memory store (exactly it: a subclass may do more)
 * unless a variant must be read; a promise otherwise.
 */
export function lookUp(
  store: CacheStore,
  key: string,
  headers: Headers,
  owner: Owner,
): Found | Promise<Found> {
  if (Object.getPrototypeOf(store) !== MemoryStore.prototype) return lookUpLater(store, key, headers, owner)
  const latest = storedOf((store as MemoryStore).getNow(key))
  if (!latest) return NOTHING
  if (entryMatches(latest.entry, latest.head, headers, owner)) return { stored: latest, latest }
  return variantFor(store, key, latest, headers, owner).then((stored) => ({ stored, latest }))
}

async function lookUpLater(store: CacheStore, key: string, headers: Headers, owner: Owner): Promise<Found> {
  const latest = await read(store, key)
  // Most often the latest response is the one (or there is none): no second read to wait for.
  if (!latest) return NOTHING
  if (entryMatches(latest.entry, latest.head, headers, owner)) return { stored: latest, latest }
  return { stored: await variantFor(store, key, latest, headers, owner), latest }
}

/** The sibling of `latest` stored for the request's Vary'd values and credentials, if any. */
async function variantFor(
  store: CacheStore,
  key: string,
  latest: Stored,
  headers: Headers,
  owner: Owner,
): Promise<Stored | undefined> {
  const { family } = latest.head
  if (family === undefined) return undefined
  // The latest response's Vary names the fields its siblings were chosen by too.
  const vary = valuesFor(Object.keys(latest.entry.vary), headers, owner.credentials)
  for (const fingerprint of servableFingerprints(owner)) {
    const variant = await read(store, variantKey(key, family, fingerprint, vary))
    if (variant && entryMatches(variant.entry, variant.head, headers, owner)) return variant
  }
  return undefined
}

/** The entry under `key` with its head, unless there is none or it is of a shape this release cannot read. */
async function read(store: CacheStore, key: string): Promise<Stored | undefined> {
  return storedOf(await store.get(key))
}

function storedOf(entry: CacheEntry | undefined): Stored | undefined {
  const head = entry && headOf(entry)
  return entry && head ? { entry, head } : undefined
}
