/**
 * Variants (RFC 9111 §4.1): responses of one URL for other Vary'd request values or other
 * credentials, kept side by side. The URL's key holds the response stored last; a response that
 * may have siblings (it has a Vary, or credentials) is also kept under a key of its own, derived
 * from the URL's key, its family, its credentials and its Vary'd values. A family is the run of
 * responses stored while the URL's key held one: an invalidation deletes the URL's key, and with
 * it the way to every variant stored before.
 */
import { randomUUID } from 'node:crypto'
import { LruMap } from '../ground/lru-map.ts'
import { variantKey } from './credentials.ts'
import { type Stored, toEntry } from './entry.ts'
import type { StoredHead } from './head.ts'
import type { CacheEntry, CacheStore } from './store.ts'

/** Variants one URL keeps at most (in this process): the oldest goes when another comes. */
export const MAX_VARIANTS = 8
/** URLs whose variants this process counts; past it, the least recently stored is forgotten. */
const COUNTED_URLS = 10_000

/** Whether a response may have siblings, and so is kept under a variant key too: it has credentials or a Vary. */
function hasSiblings(fingerprint: string, vary: Readonly<Record<string, string | null>>): boolean {
  return fingerprint !== '' || Object.keys(vary).length > 0
}

/** Each URL's variant keys, newest last, so that one URL (a Vary on User-Agent) cannot fill the store. */
export class VariantCount {
  readonly #keys = new LruMap<string, string[]>(COUNTED_URLS, () => 1)

  /** Notes that `variant` of `key` was stored; returns the variant keys to delete. */
  note(key: string, variant: string): string[] {
    const keys = (this.#keys.get(key) ?? []).filter((known) => known !== variant)
    keys.push(variant)
    const evicted = keys.splice(0, Math.max(0, keys.length - MAX_VARIANTS))
    this.#keys.set(key, keys)
    return evicted
  }
}

/**
 * Stores an entry (given with its head, which is not read back from it) as the URL's latest
 * response, in place of `latest` (what the key held when the request looked). When it may have
 * siblings, or the key holds a family already, it joins that family (or a new one, which the
 * response the key held joins too) under a variant key of its own, so that storing it replaces
 * none of the others.
 */
export async function keepVariant(
  store: CacheStore,
  key: string,
  { entry, head }: Stored,
  latest: Stored | undefined,
  count: VariantCount,
): Promise<void> {
  const family = latest?.head.family
  if (family === undefined && !hasSiblings(entry.credentialHash, entry.vary)) return store.set(key, entry)
  const joined = family ?? randomUUID()
  const member = withFamily(entry, head, joined)
  // A new family: the response the key held (which had no siblings, so is another variant than
  // this one) is kept as its first member.
  const members =
    latest && family === undefined ? [withFamily(latest.entry, latest.head, joined), member] : [member]
  const writes = [store.set(key, member)]
  for (const stored of members) {
    const variant = variantKey(key, joined, stored.credentialHash, stored.vary)
    writes.push(store.set(variant, stored))
    for (const evicted of count.note(key, variant)) writes.push(store.delete(evicted))
  }
  await Promise.all(writes)
}

function withFamily(entry: CacheEntry, head: StoredHead, family: string): CacheEntry {
  return toEntry({ ...head, family }, entry, entry.body, entry.vary, entry.credentialHash)
}
