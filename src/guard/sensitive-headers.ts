/**
 * The request headers that carry credentials: dropped when a redirect changes origin, never
 * given to a cache store in any form but a keyed hash, and not sent by a client's defaults
 * outside its `baseUrl` origin.
 */
import { isToken, optionError } from '../ground/validate.ts'

/**
 * RFC 9110 §15.4 names Authorization and Cookie; the rest are the API-key headers services use
 * most (axios, got and curl strip the first three; CVE-2025-27152 was an API key sent elsewhere).
 */
export const DEFAULT_SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'cookie2',
  'x-api-key',
  'api-key',
  'x-auth-token',
])

/** `names` added to `base`: a request can add sensitive headers, never take one away. */
export function resolveSensitiveHeaders(names: unknown, base: ReadonlySet<string>): ReadonlySet<string> {
  if (names === undefined) return base
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string' && isToken(name))) {
    throw optionError('sensitiveHeaders', 'a list of header names', names)
  }
  return new Set([...base, ...names.map((name: string) => name.toLowerCase())])
}
