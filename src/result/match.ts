/**
 * `match`: dispatch a result by exact status, by kind, or by status class, with a fallback.
 * The compiler rejects a handler set that leaves a kind uncovered, in the manner of Effect's
 * `matchStatus`.
 */
import type { HttpStatus, StatusClass } from './status.ts'
import type {
  ClientError,
  Informational,
  NotModified,
  Redirect,
  Result,
  ResultKind,
  ServerError,
  StatusResult,
  Success,
} from './types.ts'

/** The member of `R` whose status range holds `S`. */
export type KindWithStatus<R, S> = R extends { readonly status: infer Range }
  ? S extends Range
    ? R
    : never
  : never

/** The result a handler for one exact status receives: the kind whose range holds it, narrowed to it. */
export type ResultWithStatus<T, S extends HttpStatus> = KindWithStatus<StatusResult<T>, S> & {
  readonly status: S
}

export type KindHandlers<T> = {
  readonly [K in ResultKind]?: (result: Extract<Result<T>, { readonly kind: K }>) => unknown
}
export type StatusHandlers<T> = {
  readonly [S in HttpStatus]?: (result: ResultWithStatus<T, S>) => unknown
}
export interface ClassHandlers<T> {
  readonly '1xx'?: (result: Informational) => unknown
  readonly '2xx'?: (result: Success<T>) => unknown
  readonly '3xx'?: (result: Redirect | NotModified) => unknown
  readonly '4xx'?: (result: ClientError) => unknown
  readonly '5xx'?: (result: ServerError) => unknown
}
export interface FallbackHandler<T> {
  /** Every result no other handler took. */
  readonly _?: (result: Result<T>) => unknown
}

export type MatchHandlers<T> = KindHandlers<T> & StatusHandlers<T> & ClassHandlers<T> & FallbackHandler<T>

/** The kinds a status class covers whole. */
interface KindsOfClass {
  '1xx': 'informational'
  '2xx': 'success'
  '3xx': 'redirect' | 'not-modified'
  '4xx': 'client-error'
  '5xx': 'server-error'
}
type CoveredKinds<H> = (keyof H & ResultKind) | KindsOfClass[keyof H & StatusClass]
type MissingKinds<H> = '_' extends keyof H ? never : Exclude<ResultKind, CoveredKinds<H>>

/**
 * Requires a handler for every kind not covered by a kind, class or fallback handler, so that a
 * missing case reads as "Property 'timeout' is missing".
 */
export type Exhaustive<H> = [MissingKinds<H>] extends [never]
  ? unknown
  : { readonly [K in MissingKinds<H>]: (result: never) => unknown }

type ReturnOf<F> = F extends (...args: never[]) => infer R ? R : never
export type MatchReturn<H> = { [K in keyof H]-?: ReturnOf<H[K]> }[keyof H]

const CLASS_OF_KIND: Partial<Record<ResultKind, StatusClass>> = {
  informational: '1xx',
  success: '2xx',
  redirect: '3xx',
  'not-modified': '3xx',
  'client-error': '4xx',
  'server-error': '5xx',
}

/**
 * Calls the most specific handler for `result`: its exact status, then its kind, then its status
 * class, then `_`.
 *
 * @example
 * const message = match(result, {
 *   success: (r) => `got ${r.data}`,
 *   404: () => 'no such user',
 *   '4xx': (r) => `rejected: ${r.statusText}`,
 *   _: (r) => `failed: ${r.kind}`,
 * })
 */
export function match<T, H extends MatchHandlers<T>>(
  result: Result<T>,
  handlers: H & Exhaustive<H>,
): MatchReturn<H> {
  const table = handlers as Record<string | number, ((result: Result<T>) => unknown) | undefined>
  const statusClass = CLASS_OF_KIND[result.kind]
  const handler =
    (statusClass ? table[(result as StatusResult<T>).status] : undefined) ??
    table[result.kind] ??
    (statusClass ? table[statusClass] : undefined) ??
    table._
  if (!handler) {
    throw new TypeError(`match: no handler for a result of kind "${result.kind}" and no "_" fallback`)
  }
  return handler(result) as MatchReturn<H>
}
