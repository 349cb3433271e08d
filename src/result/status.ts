/**
 * HTTP status codes: the IANA registry's reason names and the literal ranges each result kind
 * carries, so that `status` narrows with `kind`.
 */

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9
type NumberFrom<S> = S extends `${infer N extends number}` ? N : never
/** Every code of one class, as literals: `StatusInClass<4>` is 400 | 401 | … | 499. */
export type StatusInClass<C extends 1 | 2 | 3 | 4 | 5> = NumberFrom<`${C}${Digit}${Digit}`>

export type InformationalStatus = StatusInClass<1>
export type SuccessStatus = StatusInClass<2>
/** 3xx but 304, which has a kind of its own. */
export type RedirectStatus = Exclude<StatusInClass<3>, 304>
export type NotModifiedStatus = 304
export type ClientErrorStatus = StatusInClass<4>
export type ServerErrorStatus = StatusInClass<5>
/** Any code from 100 to 599. */
export type HttpStatus = StatusInClass<1 | 2 | 3 | 4 | 5>
export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx'

/** Fetch's null body statuses (RFC 9110 §6.4.1): responses that carry no content. */
/** Fetch's redirect statuses. 300, 304, 305 and 306 are not redirects to follow. */
const FOLLOWABLE: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

export function isFollowable(status: number): boolean {
  return FOLLOWABLE.has(status)
}

export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304])

/**
 * The IANA HTTP Status Code Registry (RFC 9110 §15 and the RFCs it lists), as of 2026.
 * Codes registered as "(Unused)" keep that word; 104 is a temporary registration and omitted.
 */
export const STATUS_NAMES = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  306: '(Unused)',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: '(Unused)',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
} as const satisfies Partial<Record<HttpStatus, string>>

export type RegisteredStatus = keyof typeof STATUS_NAMES

/**
 * The registry's name for a code. An unregistered code falls back to the reason phrase the
 * server sent (HTTP/1.1 only; HTTP/2 has none), then to an empty string.
 */
export function statusName(status: number, reasonPhrase = ''): string {
  return (STATUS_NAMES as Record<number, string>)[status] ?? reasonPhrase
}

export function isHttpStatus(status: number): status is HttpStatus {
  return Number.isInteger(status) && status >= 100 && status <= 599
}
