/**
 * What a client is, as its callers see it: its methods, and how the types of their results follow
 * the options — `data` by `responseType` and `schema`, the kinds by `throwOn`. The implementation
 * is client.ts.
 */
import type { PaginationOptions } from './adapters/paginate.ts'
import type { FetchLike } from './adapters/to-fetch.ts'
import type { ClientOptions, RequestOptions } from './options/types.ts'
import type { InferOutput, StandardSchemaV1 } from './result/schema.ts'
import type { FailureKind, Result } from './result/types.ts'

/** The type of `data` on success that a request's `responseType` implies. */
export type DataFor<O, T> = O extends { readonly schema: infer S extends StandardSchemaV1 }
  ? InferOutput<S>
  : O extends { readonly responseType: infer R }
    ? R extends 'text'
      ? string
      : R extends 'bytes'
        ? Uint8Array
        : R extends 'stream'
          ? ReadableStream<Uint8Array> | null
          : R extends 'none'
            ? undefined
            : T
    : T

/** A request's options for a method given by the call (post, put, patch, delete). */
export type MethodOptions = Omit<RequestOptions, 'method'>
/** A request's options for a method that sends no body (get, head, options). */
export type BodylessOptions = Omit<RequestOptions, 'method' | 'json' | 'body'>

/** Options under which `data` is the JSON body: a type argument may say what it is. */
export type JsonBodyOptions<Base> = Base & {
  readonly responseType?: 'auto' | 'json' | undefined
  readonly schema?: undefined
}

/** A result as the caller gets it: without the kinds that reject the call instead (`throwOn`). */
export type Returned<R, Thrown extends FailureKind> = [Thrown] extends [never]
  ? R
  : Exclude<R, { readonly kind: Thrown }>

/**
 * The kinds a `throwOn` list names, when its type says which: a literal list. A list whose type
 * is any array of kinds (from a variable) may hold none of them, so it names none.
 */
export type ThrownOf<L extends readonly FailureKind[]> = number extends L['length'] ? never : L[number]

/**
 * The kinds options' `throwOn` names; `Otherwise` (the client's) where they have none. Options
 * that may have one of unknown content (a variable of the whole options type) name none: the
 * request's list replaces the client's.
 */
export type ThrownBy<O, Otherwise extends FailureKind = never> = 'throwOn' extends keyof O
  ? O extends { readonly throwOn: infer L extends readonly FailureKind[] }
    ? ThrownOf<L>
    : never
  : Otherwise

/**
 * A call whose `data` on success is typed by the options — their `schema`, their `responseType` —
 * or, for a JSON body, by `T`. A type argument that the options contradict
 * (`get<User>(url, { responseType: 'text' })`) does not compile: the data would not be a `User`.
 * The kinds the client's `throwOn` (or the request's, which replaces it) names are not among the
 * results: they reject.
 */
export interface CallFunction<Base, Thrown extends FailureKind = never> {
  <T = unknown>(
    input: string | URL | Request,
    init?: JsonBodyOptions<Base> & { readonly throwOn?: undefined },
  ): Promise<Returned<Result<T>, Thrown>>
  <T = unknown, const L extends readonly FailureKind[] = []>(
    input: string | URL | Request,
    init: JsonBodyOptions<Base> & { readonly throwOn: L },
  ): Promise<Returned<Result<T>, ThrownOf<L>>>
  <const O extends Base>(
    input: string | URL | Request,
    init?: O,
  ): Promise<Returned<Result<DataFor<O, unknown>>, ThrownBy<O, Thrown>>>
}

/** A client; `Thrown`, the kinds its `throwOn` names, are not among its results. */
export interface Client<Thrown extends FailureKind = never> {
  request: CallFunction<RequestOptions, Thrown>
  get: CallFunction<BodylessOptions, Thrown>
  /** HEAD has no body: `data` is `undefined`. */
  head: <const O extends BodylessOptions = Record<never, never>>(
    input: string | URL | Request,
    init?: O,
  ) => Promise<Returned<Result<undefined>, ThrownBy<O, Thrown>>>
  post: CallFunction<MethodOptions, Thrown>
  put: CallFunction<MethodOptions, Thrown>
  patch: CallFunction<MethodOptions, Thrown>
  delete: CallFunction<MethodOptions, Thrown>
  options: CallFunction<BodylessOptions, Thrown>
  /**
   * QUERY (draft-ietf-httpbis-safe-method-w-body): a safe, idempotent request that carries its
   * query in the body, retried as GET is.
   */
  query: CallFunction<MethodOptions, Thrown>
  /**
   * A function with fetch's signature and behaviour — Request and Response, a rejection for a
   * network failure or an abort, 4xx and 5xx as responses — with the policies this client was
   * given (retry, cache, deadlines, a body cap) underneath, and no others: with none given, it is
   * fetch. For SDKs that accept a custom fetch.
   */
  toFetch(): FetchLike
  /**
   * A client with these options merged over this one's, as a request's are: headers and search
   * parameters by name, hooks after this client's, policies field by field. It shares this
   * client's transport, cache store and retry budgets unless its options replace them.
   */
  extend(options: ClientOptions & { readonly throwOn?: undefined }): Client<Thrown>
  extend<const L extends readonly FailureKind[]>(
    options: ClientOptions & { readonly throwOn: L },
  ): Client<ThrownOf<L>>
  extend(options: ClientOptions): Client
  /**
   * The pages of a listing, requested as the iterator is read: the first at `input`, each next
   * one where its predecessor's `Link: <…>; rel="next"` (or `pagination.next`) points. Stops
   * after the last page, after the first result that is not a success (which it yields), and
   * at `pagination.limit` pages (default 100).
   */
  paginate: PaginateFunction<Thrown>
}

/** `client.paginate`: each page typed as a call's `data` is, by the options or, for JSON, by `T`. */
export interface PaginateFunction<Thrown extends FailureKind = never> {
  <T = unknown>(
    input: string | URL,
    init?: JsonBodyOptions<RequestOptions> & { readonly throwOn?: undefined },
    pagination?: PaginationOptions<T>,
  ): AsyncGenerator<Returned<Result<T>, Thrown>, void, undefined>
  <const O extends RequestOptions>(
    input: string | URL,
    init?: O,
    pagination?: PaginationOptions<DataFor<O, unknown>>,
  ): AsyncGenerator<Returned<Result<DataFor<O, unknown>>, ThrownBy<O, Thrown>>, void, undefined>
}
