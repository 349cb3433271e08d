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

/**
 * Text that may hold URLs the parser rejected (or several): each authority's userinfo hidden —
 * whatever lies between a scheme's colon (and any slashes after it: `http:u:pw@h`, `http:\\u:pw@h`
 * parse too) or a `//`, and the last `@` before the path, so that `u:p@ss@h` loses `p@ss` whole.
 */
export function redactUrlText(text: string): string {
  return text.replace(USERINFO, '$1***@')
}

const USERINFO = /([a-z][a-z\d+.-]*:[/\\]*|[/\\]{2})[^/\\?#\s]*@/gi

/**
 * A response's headers with the userinfo of its Location redacted; the same object when there is
 * none. A value that resolves to a path (`http:u:pw@h/` against an http: URL) is redacted as
 * text too: whoever reads the headers reads what the server wrote, not what it resolves to.
 */
export function redactLocation(headers: Headers, base: URL): Headers {
  const location = headers.get('location')
  if (location === null || !location.includes('@')) return headers
  // Read as every other place reads Location: several values, or garbage, are redacted as text.
  const parsed = parseLocation(location, base)
  const shown = parsed && redactUrl(parsed)
  const redacted = shown && shown !== parsed ? shown.href : redactUrlText(location)
  if (redacted === location) return headers
  const copy = new Headers(headers)
  copy.set('location', redacted)
  return copy
}
