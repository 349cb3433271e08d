/**
 * The rules for every URL a server chooses and fetchkind then requests — a redirect's Location, a
 * page's `Link: rel="next"` — so that no road a server can point to skips a check the others
 * make: no userinfo, only the schemes allowed, no downgrade to http:, and the caller's credentials
 * only for the origin they were meant for. (The address guard judges each hop's host too: it sits
 * where every request is sent.)
 */
import type { RedirectReason } from '../result/types.ts'
import type { RedirectPolicy } from './options.ts'

/** The part of the redirect policy that judges any server-chosen URL. */
export type HopRules = Pick<RedirectPolicy, 'protocols' | 'allowDowngrade'>

/** Why `to`, chosen by the server that answered for `from`, must not be requested; `null` when it may. */
export function hopRefusal(from: URL, to: URL, rules: HopRules): RedirectReason | null {
  // Fetch refuses these across origins; a service client has no reason to follow them at all.
  if (to.username !== '' || to.password !== '') return 'credentials-in-location'
  if (!rules.protocols.has(to.protocol)) return 'protocol'
  if (from.protocol === 'https:' && to.protocol === 'http:' && !rules.allowDowngrade) return 'downgrade'
  return null
}

/**
 * Whether credentials must be dropped: any change of origin but an upgrade from http: to https:
 * of the same host on the default ports, which reaches the same server over a safer channel.
 */
export function crossesOrigin(from: URL, to: URL): boolean {
  if (from.origin === to.origin) return false
  const upgrade = from.protocol === 'http:' && to.protocol === 'https:' && from.port === '' && to.port === ''
  return !(upgrade && from.hostname === to.hostname)
}
