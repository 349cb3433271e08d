/**
 * Entries as the store keeps them: a response's head, body, Vary'd request values and the hash
 * of the credentials it was fetched with.
 *
 * Nothing secret reaches an entry: a sensitive request header's value is kept only as a keyed
 * hash, no Set-Cookie is stored (head.ts), and the URL, which the store key stands for, is not in it.
 */
import type { ResponseOutcome } from '../call/stage.ts'
import { WeakCache } from '../ground/weak-cache.ts'
import { readHead, type StoredHead, serialiseHead } from './head.ts'
import type { CacheEntry } from './store.ts'

export function toEntry(
  head: StoredHead,
  outcome: Pick<ResponseOutcome, 'status' | 'statusText'>,
  body: Uint8Array,
  vary: Record<string, string | null>,
  fingerprint: string,
): CacheEntry {
  const serialised = serialiseHead(head)
  const heads = JSON.stringify(serialised).length + JSON.stringify(vary).length + fingerprint.length
  return {
    head: serialised,
    status: outcome.status,
    statusText: outcome.statusText,
    body,
    vary,
    credentialHash: fingerprint,
    size: body.byteLength + heads,
  }
}

/** An entry found for a request, with its head read. */
export interface Stored {
  readonly entry: CacheEntry
  readonly head: StoredHead
}

/**
 * Heads of the entries a store hands back: a memory store hands back the same object each time;
 * one that makes a new object for each read (Redis) gains nothing by keeping them.
 */
const heads = new WeakCache<CacheEntry, StoredHead>()

/** The head an entry holds, or `null` for an entry this release cannot read (an older one's). */
export function headOf(entry: CacheEntry): StoredHead | null {
  let head = heads.get(entry)
  if (!head) {
    const read = readHead(entry.head)
    if (read === null) return null
    head = read
    heads.set(entry, head)
  }
  return head
}
