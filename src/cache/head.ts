/**
 * A stored response's head as the cache keeps it (RFC 9111 §3): its header fields as received,
 * but for those a cache never stores, and when it was requested and received — all that
 * freshness, age and revalidation are computed from. Plain JSON, so that any store can keep it.
 */
import { fieldNames } from '../http/field-names.ts'
import type { SerialisedHead } from './store.ts'

/** The version of the shape below: an entry of another (an older release's, in Redis) is not read. */
const VERSION = 2

export interface StoredHead {
  /** Lower-cased field name → its value (several lines joined by `, `, as Headers joins them). */
  readonly headers: Readonly<Record<string, string>>
  /** When the request that got this response was sent (ms since the epoch): §4.2.3's request_time. */
  readonly requestTime: number
  /** When the response was received: §4.2.3's response_time. */
  readonly responseTime: number
  /** The family of variants it belongs to (variants.ts), if it may have siblings. */
  readonly family?: string
}

/**
 * Response fields a cache never stores or updates (§3.1): hop-by-hop fields, those the
 * Connection field names, and cookies — a cookie set for one exchange is not to be replayed to
 * every later reader, least of all from a store other processes share.
 */
const UNSTORED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authentication-info',
  'proxy-authorization',
  'set-cookie',
  'set-cookie2',
])

/** Whether a field of `headers` is one a cache keeps. */
export function storedFieldFilter(headers: Headers): (name: string) => boolean {
  const connection = fieldNames(headers.get('connection'))
  return (name) => !UNSTORED.has(name) && !connection.includes(name)
}

export function newHead(headers: Headers, requestTime: number, responseTime: number): StoredHead {
  const keep = storedFieldFilter(headers)
  const fields: Record<string, string> = {}
  for (const [name, value] of headers) if (keep(name)) fields[name] = value
  return { headers: fields, requestTime, responseTime }
}

export function serialiseHead(head: StoredHead): SerialisedHead {
  return { v: VERSION, ...head }
}

/** The head an entry holds, or `null` when it holds something else (another version's shape). */
export function readHead(serialised: SerialisedHead): StoredHead | null {
  const { v, headers, requestTime, responseTime, family } = serialised
  if (v !== VERSION || typeof requestTime !== 'number' || typeof responseTime !== 'number') return null
  if (typeof headers !== 'object' || headers === null) return null
  for (const value of Object.values(headers)) if (typeof value !== 'string') return null
  const head = { headers: headers as Record<string, string>, requestTime, responseTime }
  return typeof family === 'string' ? { ...head, family } : head
}
