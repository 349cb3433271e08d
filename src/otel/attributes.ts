/**
 * The attributes of the OpenTelemetry HTTP client semantic conventions, by their constants in
 * `@opentelemetry/semantic-conventions` (bundled: the constants are strings): the method as a known
 * one or `_OTHER`, `url.full` with its secrets redacted, the server, the protocol version, and
 * `error.type`.
 */
import type { Attributes } from '@opentelemetry/api'
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  HTTP_REQUEST_METHOD_VALUE_CONNECT,
  HTTP_REQUEST_METHOD_VALUE_DELETE,
  HTTP_REQUEST_METHOD_VALUE_GET,
  HTTP_REQUEST_METHOD_VALUE_HEAD,
  HTTP_REQUEST_METHOD_VALUE_OPTIONS,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
  HTTP_REQUEST_METHOD_VALUE_PATCH,
  HTTP_REQUEST_METHOD_VALUE_POST,
  HTTP_REQUEST_METHOD_VALUE_PUT,
  HTTP_REQUEST_METHOD_VALUE_TRACE,
} from '@opentelemetry/semantic-conventions'
import type { HttpProtocol, Result } from '../result/types.ts'

/**
 * The query parameters whose values `url.full` hides by default: the conventions' list (signed
 * URLs of AWS, Azure and Google Cloud). Matched case-sensitively, as the conventions say.
 */
export const DEFAULT_SENSITIVE_QUERY_PARAMETERS: readonly string[] = Object.freeze([
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
])

const REDACTED = 'REDACTED'

/**
 * The methods the stable conventions know; any other (QUERY among them: its value is still
 * experimental) is recorded as `_OTHER`, its name beside it.
 */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  HTTP_REQUEST_METHOD_VALUE_CONNECT,
  HTTP_REQUEST_METHOD_VALUE_DELETE,
  HTTP_REQUEST_METHOD_VALUE_GET,
  HTTP_REQUEST_METHOD_VALUE_HEAD,
  HTTP_REQUEST_METHOD_VALUE_OPTIONS,
  HTTP_REQUEST_METHOD_VALUE_PATCH,
  HTTP_REQUEST_METHOD_VALUE_POST,
  HTTP_REQUEST_METHOD_VALUE_PUT,
  HTTP_REQUEST_METHOD_VALUE_TRACE,
])

/** `http.request.method`, and `http.request.method_original` for a method the conventions do not know. */
export function methodAttributes(method: string): Attributes {
  if (KNOWN_METHODS.has(method)) return { [ATTR_HTTP_REQUEST_METHOD]: method }
  return {
    [ATTR_HTTP_REQUEST_METHOD]: HTTP_REQUEST_METHOD_VALUE_OTHER,
    [ATTR_HTTP_REQUEST_METHOD_ORIGINAL]: method,
  }
}

/** A client span's name: its method, or `HTTP` for a method the conventions do not know. */
export function spanName(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'HTTP'
}

/** `server.address` and `server.port` (the scheme's default port when the URL names none). */
export function serverAttributes(url: URL): Attributes {
  return {
    [ATTR_SERVER_ADDRESS]: url.hostname,
    [ATTR_SERVER_PORT]: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
  }
}

/** The request's attributes: method, server, and `url.full` unless left out (metrics keep it out). */
export function requestAttributes(
  method: string,
  url: URL,
  sensitive: ReadonlySet<string> | null,
): Attributes {
  return {
    ...methodAttributes(method),
    ...(sensitive ? { [ATTR_URL_FULL]: redactedUrl(url, sensitive) } : {}),
    ...serverAttributes(url),
  }
}

/**
 * `url.full` as the conventions want it: the user and password, if any, as `REDACTED`, and the
 * value of each sensitive query parameter as `REDACTED`, its key kept; everything else as sent.
 */
export function redactedUrl(url: URL, sensitive: ReadonlySet<string>): string {
  let copy: URL | null = null
  if (url.username !== '' || url.password !== '') {
    copy = new URL(url)
    copy.username = REDACTED
    copy.password = REDACTED
  }
  const search = url.search
  if (search.length > 1 && sensitive.size > 0) {
    const parts = search.slice(1).split('&')
    let changed = false
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string
      const equals = part.indexOf('=')
      const key = decoded(equals === -1 ? part : part.slice(0, equals))
      if (sensitive.has(key)) {
        parts[i] = `${equals === -1 ? part : part.slice(0, equals)}=${REDACTED}`
        changed = true
      }
    }
    if (changed) {
      copy ??= new URL(url)
      copy.search = parts.join('&')
    }
  }
  return (copy ?? url).href
}

/** A query key as a form decodes it; as it is when its escapes are broken. */
function decoded(key: string): string {
  try {
    return decodeURIComponent(key.replaceAll('+', ' '))
  } catch {
    return key
  }
}

/** `network.protocol.version`: `'1.1'` or `'2'`; nothing when unknown. */
export function protocolAttributes(protocol: HttpProtocol | null): Attributes {
  if (protocol === 'h2') return { [ATTR_NETWORK_PROTOCOL_VERSION]: '2' }
  if (protocol === 'http/1.1') return { [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1' }
  return {}
}

/**
 * An attempt's `error.type`: its status from 400 up, or the reason it got no response (the network
 * code, `timeout`, `aborted`); `null` for one that succeeded.
 */
export function attemptErrorType(status: number | null, error: string | null): string | null {
  if (error !== null) return error
  return status !== null && status >= 400 ? String(status) : null
}

/**
 * A call's `error.type`: the status of a 4xx or 5xx, the network code, the reason of an invalid
 * response or a refusal, or else the kind; `null` for a call that got what it asked for.
 */
export function callErrorType(result: Result): string | null {
  switch (result.kind) {
    case 'client-error':
    case 'server-error':
      return String(result.status)
    case 'network-error':
      return result.code
    case 'invalid-response':
    case 'refused':
      return result.reason
    case 'timeout':
    case 'aborted':
    case 'hook-error':
      return result.kind
    default:
      return null
  }
}
