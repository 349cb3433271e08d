/** Reading a response's Location: the one place its value becomes a URL. */

/**
 * RFC 9110 §10.2.2: Location is one URI reference, resolved against the request's URL. `null`
 * when there is no usable one — absent, empty (which would resolve to the same URL), or several
 * different values (a Headers object joins repeated fields with ", "; a URI has no spaces, so
 * that is never one value), as the Fetch standard's location URL extraction fails.
 */
export function parseLocation(value: string | null, base: URL): URL | null {
  if (value === null) return null
  const values = new Set(value.split(/,\s+/).map((part) => part.trim()))
  const [only] = values
  if (values.size !== 1 || !only) return null
  return URL.parse(only, base)
}
