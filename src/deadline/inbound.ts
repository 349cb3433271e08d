/**
 * A server's side: the deadline an inbound request brings, and connect-style middleware
 * (Express, Connect, Polka) that runs the rest of the request in a scope ending by it. For
 * node:http and Fastify, `deadlineFrom` with `withDeadline` (docs/deadlines.md has the recipes).
 */
import { checkMilliseconds, isToken, optionError } from '../ground/validate.ts'
import { parseTimeLeft } from '../http/deadline-header.ts'
import { withDeadline } from './scope.ts'

export interface InboundDeadlineOptions {
  /** The most milliseconds a request may take here: its deadline when it brings none, and the cap on one it brings. */
  readonly timeout: number
  /**
   * The request header that carries the caller's time left (`'grpc-timeout'` in gRPC's form, any
   * other name in whole milliseconds): a nearer deadline there is taken, a malformed one ignored.
   */
  readonly header?: string | undefined
}

/** Node's `req.headers`, a fetch `Headers`, or a plain record of either. */
export type InboundHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

/** The milliseconds an inbound request has here: `timeout`, or the nearer time left its header brings. */
export function deadlineFrom(headers: InboundHeaders, options: InboundDeadlineOptions): number {
  const { timeout, header } = checkInbound(options)
  if (header === undefined) return timeout
  const value = headers instanceof Headers ? headers.get(header) : headers[header.toLowerCase()]
  // A header sent twice says two things: neither is believed.
  const brought = typeof value === 'string' ? parseTimeLeft(header, value) : null
  return brought === null ? timeout : Math.min(timeout, brought)
}

/**
 * Connect-style middleware: the rest of the request runs in a deadline scope of `deadlineFrom`'s
 * milliseconds, so that every fetchkind call made for it ends by then. Options are checked here,
 * once, not on each request.
 */
export function deadlineMiddleware(
  options: InboundDeadlineOptions,
): (request: { readonly headers: InboundHeaders }, response: unknown, next: () => void) => void {
  checkInbound(options)
  return (request, _response, next) => withDeadline(deadlineFrom(request.headers, options), next)
}

function checkInbound(options: InboundDeadlineOptions): InboundDeadlineOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('fetchkind: the inbound deadline needs its options: { timeout, header? }')
  }
  checkMilliseconds(options.timeout, 'timeout')
  const { header } = options
  if (header !== undefined && (typeof header !== 'string' || !isToken(header))) {
    throw optionError('header', 'a header name', header)
  }
  return options
}
