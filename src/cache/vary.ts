/**
 * Vary (RFC 9111 §4.1): which request header values a stored response was chosen for, kept
 * normalised so that requests meaning the same thing (`1,2` and ` 1, 2 `, `en, de` and `De, EN`)
 * are served the same response, and the check that a request may be served an entry.
 */

import { isToken } from '../ground/validate.ts'
import { fieldNames } from '../http/field-names.ts'
import { type Credentials, mayServe, type Owner } from './credentials.ts'
import type { StoredHead } from './head.ts'
import type { CacheEntry } from './store.ts'

/**
 * Fields whose list members are case-insensitive and unordered (RFC 9110 §12.5: language
 * ranges and content codings are case-insensitive, and their preference is their weight, not
 * their place).
 */
const UNORDERED_CASELESS = new Set(['accept-language', 'accept-encoding'])

/**
 * The request header values a response's Vary names, normalised, as the entry keeps them (a
 * sensitive one hashed); `null` for `Vary: *`, which nothing matches, and for a Vary naming
 * something that is no field name (RFC 9110 §12.5.5), which no request could be matched against.
 */
export function varyValues(
  vary: string | null,
  headers: Headers,
  credentials: Credentials,
): Record<string, string | null> | null {
  const names = fieldNames(vary)
  if (names.some((field) => field === '*' || !isToken(field))) return null
  return valuesFor(names, headers, credentials)
}

/** The request's values of the fields `names`, normalised, a sensitive one hashed. */
export function valuesFor(
  names: readonly string[],
  headers: Headers,
  credentials: Credentials,
): Record<string, string | null> {
  const values: Record<string, string | null> = {}
  for (const field of names)
    values[field] = credentials.keep(field, normaliseValue(field, headers.get(field)))
  return values
}

/**
 * §4.1: two values match once normalised. Here: list members trimmed, and for the fields above
 * lower-cased and sorted. A value that is no list (a quoted comma, say) is only trimmed around.
 */
export function normaliseValue(field: string, value: string | null): string | null {
  if (value === null) return null
  const members = listMembers(value)
  if (!UNORDERED_CASELESS.has(field)) return members.join(', ')
  return members
    .map((member) => member.toLowerCase().replace(/\s+/g, ''))
    .sort()
    .join(', ')
}

/** A field's comma-separated members, trimmed, empty ones dropped; commas in quotes kept. */
function listMembers(value: string): string[] {
  const members: string[] = []
  const add = (member: string) => {
    if (member.trim() !== '') members.push(member.trim())
  }
  let start = 0
  let quoted = false
  for (let at = 0; at < value.length; at++) {
    const char = value[at]
    if (char === '\\' && quoted) at++
    else if (char === '"') quoted = !quoted
    else if (char === ',' && !quoted) {
      add(value.slice(start, at))
      start = at + 1
    }
  }
  add(value.slice(start))
  return members
}

/**
 * Whether a request may be served an entry: credentials it may share (credentials.ts), the same
 * Vary'd header values. A shared store's entry may hold anything: a name that is no field name
 * matches no request. An `Accept-Language` that differs still matches a response whose
 * `Content-Language` is the request's first preference: the origin chose that language, and
 * would choose it again.
 */
export function entryMatches(entry: CacheEntry, head: StoredHead, headers: Headers, owner: Owner): boolean {
  if (!mayServe(owner, entry.credentialHash)) return false
  const { credentials } = owner
  return Object.entries(entry.vary).every(([name, value]) => {
    if (!isToken(name)) return false
    const sent = headers.get(name)
    if (credentials.keep(name, normaliseValue(name, sent)) === value) return true
    return name === 'accept-language' && !credentials.isSensitive(name) && languageChosen(head, sent)
  })
}

/** Whether the response's single Content-Language is the first preference of `acceptLanguage`. */
function languageChosen(head: StoredHead, acceptLanguage: string | null): boolean {
  const language = head.headers['content-language']?.trim().toLowerCase()
  if (!language || language.includes(',') || acceptLanguage === null) return false
  return preferredLanguage(acceptLanguage) === language
}

/** The language range with the highest weight (the first of equals), lower-cased; `*` and q=0 ignored. */
function preferredLanguage(acceptLanguage: string): string | null {
  let best: string | null = null
  let bestWeight = 0
  for (const member of listMembers(acceptLanguage)) {
    const [range = '', ...parameters] = member.split(';').map((part) => part.trim())
    const q = parameters.find((parameter) => /^q\s*=/i.test(parameter))
    const weight = q === undefined ? 1 : Number(q.slice(q.indexOf('=') + 1).trim())
    if (range === '*' || !(weight > bestWeight) || weight > 1) continue
    best = range.toLowerCase()
    bestWeight = weight
  }
  return best
}
