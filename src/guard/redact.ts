/**
 * Userinfo out of every URL fetchkind reports. A caller's URL with credentials is refused at the
 * call, and a Location with them is never followed, but the refusal still shows where it led:
 * with `***` in place of the user and password (OpenTelemetry's url.full does the same).
 */
import { parseLocation } from '../http/location.ts'

/** `url` with its username and password, if any, replaced by `***`. */
export function redactUrl(url: URL): URL {
  if (url.username === '' && url.password === '') return url
  const redacted = new URL(url)
  if (redacted.username !== '') redacted.username = '***'
  if (redacted.password !== '') redacted.password = '***'
  return redacted
}

/** Text that may hold URLs the parser rejected (or several): anything between `//` and `@` hidden. */
export function redactUrlText(text: string): string {
  return text.replace(/\/\/[^/?#@]*@/g, '//***@')
}

/** A response's headers with the userinfo of its Location redacted; the same object when there is none. */
export function redactLocation(headers: Headers, base: URL): Headers {
  const location = headers.get('location')
  if (location === null || !location.includes('@')) return headers
  // Read as every other place reads Location: several values, or garbage, are redacted as text.
  const parsed = parseLocation(location, base)
  const redacted = parsed ? redactUrl(parsed) : null
  if (parsed && redacted === parsed) return headers
  const copy = new Headers(headers)
  copy.set('location', redacted ? redacted.href : redactUrlText(location))
  return copy
}
