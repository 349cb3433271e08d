/** The deadline policy's options (`deadline`), defaults and validation. */

import { checkBoolean, checkObject, isToken, type NamesOf, optionError } from '../ground/validate.ts'
import { checkCallerHeader } from '../guard/framing-headers.ts'

export interface DeadlineOptions {
  /**
   * End each call by the deadline scope it runs in (`withDeadline`, `deadlineMiddleware`), when
   * that is nearer than its own `timeout.total`. Default `true`; `false` for work that is meant to
   * outlive the request it starts in (a background refresh, an audit write).
   */
  readonly inherit?: boolean | undefined
  /**
   * A request header to send each attempt's time left in, so that the service called stops when
   * this call stops waiting: `'grpc-timeout'` in gRPC's form ("150m"), any other name in whole
   * milliseconds. Default `false`: none sent.
   */
  readonly header?: string | false | undefined
}

/** The deadline policy's part of a call's options. */
export interface DeadlinePolicy {
  readonly inherit: boolean
  readonly header: string | null
}

export interface DeadlineCallOptions {
  readonly deadline: DeadlinePolicy
}

export const DEADLINE_NAMES = { inherit: true, header: true } as const satisfies NamesOf<DeadlineOptions>

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = { inherit: true, header: null }

/** `options` over `base`, field by field; throws a TypeError naming a bad field. */
export function resolveDeadlinePolicy(
  options: DeadlineOptions | undefined,
  base: DeadlinePolicy,
): DeadlinePolicy {
  checkObject(options, 'deadline')
  if (options === undefined) return base
  const { inherit, header } = options
  if (inherit !== undefined) checkBoolean(inherit, 'deadline.inherit')
  if (header !== undefined && header !== false && (typeof header !== 'string' || !isToken(header))) {
    throw optionError('deadline.header', 'a header name, or false', header)
  }
  if (typeof header === 'string') checkCallerHeader(header, 'deadline.header')
  return {
    inherit: inherit ?? base.inherit,
    header: header === undefined ? base.header : header === false ? null : header.toLowerCase(),
  }
}
