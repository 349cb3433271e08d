/**
 * Stable codes for network failures. fetch wraps the real failure ("fetch failed", "terminated")
 * around the system or undici error that says what happened, so the code is read from the cause
 * chain, as undici's own errors are switched on by `code`.
 */

import { thrownText } from '../result/thrown.ts'

/** Failures worth another try: the connection broke, or could not be made for now. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  // undici's retry handler counts these as transient too: the network or host is down for now.
  'ENETDOWN',
  'EHOSTDOWN',
  // A proxy that could not reach the origin for the tunnel (a 5xx to CONNECT).
  'ERR_PROXY_TUNNEL',
  // HTTP/2: the session closed with an error (a GOAWAY with one), or the server reset the stream.
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_STREAM_ERROR',
])

/**
 * Failures before the request could have left: no connection was made (refused, unreachable,
 * timed out connecting, a name not resolved for now, a proxy that could not reach the origin),
 * so the server saw nothing and sending again is safe whatever the method. ECONNRESET, EPIPE and
 * ETIMEDOUT are not here: each may come after the request was written.
 */
const UNSENT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_PROXY_TUNNEL',
])

/** Failures that will happen again: no such host, headers too large, a certificate that is wrong. */
const PERMANENT_CODES = new Set([
  'ENOTFOUND',
  'UND_ERR_HEADERS_OVERFLOW',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HPE_INVALID_RESPONSE',
  'ERR_BLOCKED_ADDRESS',
  'ERR_TLS_HANDSHAKE_FAILURE',
  'ERR_TLS_CERT_REQUIRED',
  'ERR_PROXY_AUTH',
  'ERR_PROXY_REFUSED',
])

/**
 * Errors known by their class rather than a code: undici's HTTPParserError carries no code when
 * llhttp gives none, and always means the bytes that came back were not an HTTP response.
 */
const CODES_BY_NAME: Readonly<Record<string, string>> = { HTTPParserError: 'HPE_INVALID_RESPONSE' }

const KNOWN_CODES = new Set([...TRANSIENT_CODES, ...PERMANENT_CODES])

/**
 * llhttp's own codes (HPE_INVALID_STATUS, HPE_INVALID_CONSTANT, …) differ between the undici
 * versions global fetch may run on (Node 22's, Node 24's, undici 8's, which often gives none):
 * every one means the bytes that came back were not an HTTP response, so they are one code. So
 * does an assertion failing inside fetch: Node 22's undici asserts on a status below 100 where
 * later ones fail to parse it.
 */
function stableCode(code: string): string {
  if (code.startsWith('HPE_') || code === 'ERR_ASSERTION') return 'HPE_INVALID_RESPONSE'
  // OpenSSL names a TLS alert by its version and its release (ERR_SSL_SSLV3_ALERT_…,
  // ERR_SSL_SSL/TLS_ALERT_…, ERR_SSL_TLSV13_ALERT_…): the alert is what the server said.
  if (/^ERR_SSL_.*ALERT_HANDSHAKE_FAILURE$/.test(code)) return 'ERR_TLS_HANDSHAKE_FAILURE'
  if (/^ERR_SSL_.*ALERT_CERTIFICATE_REQUIRED$/.test(code)) return 'ERR_TLS_CERT_REQUIRED'
  return code
}

/**
 * A proxy's refusal, which undici reports by message alone: "Proxy response (407) !== 200 when
 * HTTP Tunneling" for CONNECT, "Proxy Authentication Required (407)" for a plain http request.
 */
function proxyCode(message: string): string | null {
  const status =
    /^Proxy (?:response \((\d{3})\) !== 200 when HTTP Tunneling|Authentication Required \((407)\))/.exec(
      message,
    )
  const code = Number(status?.[1] ?? status?.[2])
  if (!code) return null
  if (code === 407) return 'ERR_PROXY_AUTH'
  return code >= 500 ? 'ERR_PROXY_TUNNEL' : 'ERR_PROXY_REFUSED'
}

/** Whether a retry might succeed where an attempt failed with `code`. */
export function isTransientNetworkCode(code: string): boolean {
  return TRANSIENT_CODES.has(code)
}

/** Whether a failure with this code came before any of the request could reach the server. */
export function isUnsentNetworkCode(code: string): boolean {
  return UNSENT_CODES.has(code)
}

/** Deep enough for fetch's wrapping; bounded so that a cyclic cause chain cannot loop. */
const MAX_DEPTH = 8

export interface NetworkErrorDescription {
  readonly code: string
  readonly message: string
}

/**
 * The most telling code in `error`'s cause chain (a known one first, then any string code,
 * else `'UNKNOWN'`) and the message that goes with it.
 */
export function describeNetworkError(error: unknown): NetworkErrorDescription {
  const chain = causeChain(error)
  for (const node of chain) {
    const code = typeof node.message === 'string' ? proxyCode(node.message) : null
    if (code) return { code, message: messageOf(node) }
  }
  // A code fetchkind knows (in its stable spelling) first, then any code at all.
  const withCode = (known: boolean) =>
    chain.find((node) => typeof node.code === 'string' && KNOWN_CODES.has(stableCode(node.code)) === known)
  const found = withCode(true) ?? withCode(false)
  if (found) return { code: stableCode(String(found.code)), message: messageOf(found) }
  const named = chain.find((node) => typeof node.name === 'string' && Object.hasOwn(CODES_BY_NAME, node.name))
  if (named) return { code: CODES_BY_NAME[named.name as string] as string, message: messageOf(named) }
  const deepest = chain.at(-1)
  return { code: 'UNKNOWN', message: deepest ? messageOf(deepest) : thrownText(error) }
}

interface ErrorLike {
  readonly name?: unknown
  readonly code?: unknown
  readonly message?: unknown
  readonly cause?: unknown
  readonly errors?: unknown
}

function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = []
  let node: unknown = error
  while (typeof node === 'object' && node !== null && chain.length < MAX_DEPTH && !chain.includes(node)) {
    chain.push(node)
    const { cause, errors } = node as ErrorLike
    // Happy-eyeballs connects fail as an AggregateError of one error per address.
    node = cause ?? (Array.isArray(errors) ? errors[0] : undefined)
  }
  return chain
}

function messageOf(node: ErrorLike): string {
  return typeof node.message === 'string' && node.message !== ''
    ? node.message
    : thrownText(node.code ?? node)
}
