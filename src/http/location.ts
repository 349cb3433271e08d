/** Reading a response's Location: the one place its value becomes a URL. */

/**
 * RFC 9110 §10.2.2: Location is one URI reference, resolved against the request's URL. `null`
 * when there is no usable one — absent, empty (which would resolve to the same URL), or several
 * different values (a Headers object joins repeated fields with ", "; a URI has no spaces, so
 * that is never one value), as the Fetch standard's location URL extraction fails.
 */
export function parseLocation(value: string | null, base: URL): URL | null {
  if (value === null) return null
  // Only a comma can make it several: most values are read as they are.
  const only = value.includes(',') ? onlyValue(value) : value.trim()
  if (!only) return null
  return URL.parse(asUtf8(only), base)
}

/** The one value a field of comma-separated values holds, or `undefined` for several. */
function onlyValue(value: string): string | undefined {
  const values = new Set(value.split(/,\s+/).map((part) => part.trim()))
  const [only] = values
  return values.size === 1 ? only : undefined
}

/**
 * Header values arrive as bytes, one character each (Latin-1). A server that puts a non-ASCII
 * path in Location sends its UTF-8 bytes, as browsers and fetch read them: `/안녕` is
 * `/%EC%95%88%EB%85%95`, not the UTF-8 of each byte taken for a Latin-1 character.
 */
function asUtf8(value: string): string {
  // ASCII reads the same either way, and a character past Latin-1 was no byte.
  if (!NON_ASCII.test(value) || BEYOND_LATIN1.test(value)) return value
  const bytes = Uint8Array.from(value, (char) => char.charCodeAt(0))
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return value
  }
}

const NON_ASCII = /[\u0080-\uffff]/
const BEYOND_LATIN1 = /[\u0100-\uffff]/
