/**
 * Headers that only the transport may set: they frame the message or manage the connection
 * (RFC 9112 §6, RFC 9110 §7.6.1), and a caller's value would desynchronise the two ends — two
 * Content-Lengths, or Content-Length beside chunked, is how requests are smuggled.
 */
const TRANSPORT_OWNED = new Set([
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
])

export function isTransportOwned(name: string): boolean {
  return TRANSPORT_OWNED.has(name.toLowerCase())
}

/** Throws the TypeError for a caller's header `name` when the transport owns it. */
export function checkCallerHeader(name: string, option: string): void {
  if (!isTransportOwned(name)) return
  throw new TypeError(
    `fetchkind: option "${option}" sets "${name.toLowerCase()}", which the transport sets itself from the URL and the body`,
  )
}

/** Throws a TypeError naming the first header in `headers` that the transport owns. */
export function checkCallerHeaders(headers: Headers, option: string): void {
  for (const name of headers.keys()) checkCallerHeader(name, option)
}
