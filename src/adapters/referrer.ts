/**
 * The Referer a fetch sends for `init.referrer` and `init.referrerPolicy` (W3C Referrer Policy
 * §8.3, "determine request's referrer"). A service has no document, so fetch's default referrer,
 * "client", sends none: only a referrer the caller names is sent, cut down as its policy says.
 */
import { parseAddress } from '../guard/private-address.ts'

/** The policies, and `''`, which is the default: `'strict-origin-when-cross-origin'`. */
const POLICIES: ReadonlySet<string> = new Set([
  '',
  'no-referrer',
  'no-referrer-when-downgrade',
  'same-origin',
  'origin',
  'strict-origin',
  'origin-when-cross-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
])

/** Referrer Policy §8.4: a longer referrer is cut to its origin. */
const MAX_REFERRER_LENGTH = 4096

/**
 * The Referer header for a request to `target`, or `null` for none. `referrer` is fetch's
 * `init.referrer` (`''`, `'about:client'` or absent: none); a relative or invalid one, or an
 * unknown policy, is a TypeError, as with fetch.
 */
export function refererFor(
  referrer: string | undefined,
  policy: string | undefined,
  target: URL,
): string | null {
  if (policy !== undefined && !POLICIES.has(policy)) {
    throw new TypeError(`fetchkind: ${JSON.stringify(policy)} is not a referrer policy`)
  }
  if (referrer === undefined || referrer === '' || referrer === 'about:client') return null
  const parsed = URL.parse(referrer)
  if (!parsed) throw new TypeError(`fetchkind: referrer ${JSON.stringify(referrer)} is not an absolute URL`)
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null
  const full = strip(parsed, false)
  const origin = strip(parsed, true)
  const url = full.length > MAX_REFERRER_LENGTH ? origin : full
  const sameOrigin = parsed.origin === target.origin
  const downgrade = isTrustworthy(parsed) && !isTrustworthy(target)
  switch (policy || 'strict-origin-when-cross-origin') {
    case 'no-referrer':
      return null
    case 'origin':
      return origin
    case 'unsafe-url':
      return url
    case 'strict-origin':
      return downgrade ? null : origin
    case 'same-origin':
      return sameOrigin ? url : null
    case 'origin-when-cross-origin':
      return sameOrigin ? url : origin
    case 'no-referrer-when-downgrade':
      return downgrade ? null : url
    default:
      return sameOrigin ? url : downgrade ? null : origin
  }
}

/**
 * Referrer Policy §8.1: the policy a `Referrer-Policy` header sets — its last token that names
 * one (an unknown token, a newer policy perhaps, is skipped) — or `null` when none does.
 */
export function policyFromHeader(value: string | null): string | null {
  let policy: string | null = null
  for (const token of (value ?? '').split(',')) {
    const name = token.trim().toLowerCase()
    if (name !== '' && POLICIES.has(name)) policy = name
  }
  return policy
}

/** §8.4 "strip url for use as a referrer": no credentials, no fragment; or only the origin. */
function strip(url: URL, originOnly: boolean): string {
  if (originOnly) return `${url.origin}/`
  const stripped = new URL(url)
  stripped.username = ''
  stripped.password = ''
  stripped.hash = ''
  return stripped.href
}

/** Secure Contexts §3.1 "potentially trustworthy": https and wss, and the machine itself. */
function isTrustworthy(url: URL): boolean {
  if (url.protocol === 'https:' || url.protocol === 'wss:') return true
  const host = url.hostname
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  // 127.0.0.0/8 and ::1, by the same table of ranges the address guard reads.
  return parseAddress(host)?.range() === 'loopback'
}
