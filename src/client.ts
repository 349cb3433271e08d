/**
 * `createClient`: the request pipeline, composed once per client — each request's options
 * prepared (options/), sent down the policies' stages in the registry's order
 * (options/policies.ts) to the kernel's attempt, and its outcome read into a result (call/run.ts).
 */

import { fetchDefaults } from './adapters/fetch-defaults.ts'
import { type PageHop, type PaginationOptions, paginate } from './adapters/paginate.ts'
import { type FetchLike, toFetch } from './adapters/to-fetch.ts'
import { attemptStage } from './call/attempt.ts'
import { HookFailure, runHook } from './call/hooks.ts'
import { hookErrorResult, runCall } from './call/run.ts'
import { compose } from './call/stage.ts'
import { mergeHeaders } from './options/headers.ts'
import { stagesOf } from './options/policies.ts'
import { prepareCall } from './options/prepare.ts'
import { fromRequest } from './options/request-input.ts'
import { resolveClientOptions } from './options/resolve.ts'
import {
  type ClientDefaults,
  CREDENTIALS_FOR,
  type PreparedCall,
  type ResolvedOptions,
} from './options/resolved.ts'
import type { ClientOptions, RequestOptions } from './options/types.ts'
import { toBaseUrl } from './options/url.ts'
import { hopRefusal } from './redirect/next-hop.ts'
import { resolveRedirectPolicy } from './redirect/options.ts'
import { refusedHopResult } from './redirect/refused-hop.ts'
import { HttpError } from './result/http-error.ts'
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

/**
 * Makes a client. Its options are checked now (a mistake throws a TypeError naming the option)
 * and apply to every request it sends; a request's own options override them.
 */
export function createClient<const L extends readonly FailureKind[]>(
  options: ClientOptions & { readonly throwOn: L },
): Client<ThrownOf<L>>
export function createClient(options?: ClientOptions): Client
export function createClient(options: ClientOptions = {}): Client {
  return clientOf(resolveClientOptions(options), fetchDefaults(options))
}

/** A client over checked options: its policies' stages, in the registry's order (options/policies.ts). */
function clientOf(defaults: ClientDefaults, asFetch: RequestOptions): Client {
  const stages = stagesOf<ResolvedOptions>(defaults.policies)
  const pipeline = compose(stages, attemptStage(defaults.transport))

  /** Runs a prepared call, then its afterResult hooks, which may have it sent once more. */
  const runWithResends = async (
    input: string | URL,
    init: RequestOptions,
    call: PreparedCall,
    resends: number,
  ) => {
    const result = await runCall(call, pipeline)
    // A resend whose options left no afterResult hook: nothing more to ask.
    if (call.options.hooks.afterResult.length === 0) return result
    // A copy of the headers: the call's may be the client's own defaults, which no hook may change.
    const request = {
      url: call.url,
      method: call.method,
      headers: new Headers(call.headers),
      body: call.body,
    }
    const context = { request, resends }
    for (const hook of call.options.hooks.afterResult) {
      let nextInit: RequestOptions
      let next: PreparedCall
      try {
        const again = await runHook('afterResult', () => hook(result, context))
        // One resend per call, so that a hook that always asks again cannot loop.
        if (!again || resends > 0) continue
        nextInit = mergeInit(init, again)
        next = prepareCall(defaults, input, nextInit)
      } catch (error) {
        return hookErrorResult(
          error instanceof HookFailure ? error : new HookFailure('afterResult', error),
          result.meta,
        )
      }
      return runWithResends(input, nextInit, next, resends + 1)
    }
    return result
  }

  // Not async: a mistake in the options throws at the call, not as a rejection later.
  const request = (given: string | URL | Request, options: RequestOptions = {}): Promise<Result<never>> => {
    const [input, init] = given instanceof Request ? fromRequest(given, options) : [given, options]
    const call = prepareCall(defaults, input, init)
    // Most calls have no afterResult hook: nothing to wait for between the call and its result.
    const result =
      call.options.hooks.afterResult.length === 0
        ? runCall(call, pipeline)
        : runWithResends(input, init, call, 0)
    const { throwOn } = call.options
    if (throwOn.size === 0) return result as Promise<Result<never>>
    return result.then((settled) => {
      if (settled.kind !== 'success' && throwOn.has(settled.kind)) throw new HttpError(settled)
      return settled
    }) as Promise<Result<never>>
  }
  /**
   * A request to a URL a server chose (the next page): the next-hop rules first, as for a
   * redirect — a refused URL is a result, not a throw — and credentials only for the origin of
   * the first page.
   */
  const requestHop = (target: string | URL, init: RequestOptions, hop: PageHop): Promise<Result<never>> => {
    const baseUrl = init.baseUrl === undefined ? defaults.baseUrl : toBaseUrl(init.baseUrl)
    const to = URL.parse(target, baseUrl)
    const rules = resolveRedirectPolicy(init.redirect, defaults.policies.redirect.redirect)
    const refusal = to ? hopRefusal(hop.previous, to, rules) : 'invalid-location'
    if (refusal) return Promise.resolve(refusedHopResult(init.method ?? 'GET', target, refusal) as never)
    return request(to as URL, { ...init, [CREDENTIALS_FOR]: hop.first } as RequestOptions)
  }
  const withMethod =
    (method: string) =>
    (input: string | URL | Request, init?: RequestOptions): Promise<Result> =>
      request(input, { ...init, method })

  // The call signatures' overloads are views of one implementation: each method sends a request
  // and returns its result, whose type the options decide.
  const client = {
    request,
    get: withMethod('GET'),
    head: withMethod('HEAD'),
    post: withMethod('POST'),
    put: withMethod('PUT'),
    patch: withMethod('PATCH'),
    delete: withMethod('DELETE'),
    options: withMethod('OPTIONS'),
    query: withMethod('QUERY'),
    toFetch: () => toFetch((input, init) => request(input, { ...asFetch, ...init })),
    paginate: <T>(input: string | URL, init: RequestOptions = {}, pagination: PaginationOptions<T> = {}) =>
      paginate<T>(
        (target, options, hop) =>
          (hop ? requestHop(target, options, hop) : request(target, options)) as Promise<Result<T>>,
        input,
        init,
        pagination,
      ),
    extend: (more: ClientOptions) =>
      clientOf(resolveClientOptions(more, defaults), fetchDefaults(more, asFetch)),
  }
  return client as unknown as Client
}

/** `again` over `init`, headers merged by name. */
function mergeInit(init: RequestOptions, again: RequestOptions): RequestOptions {
  const headers = mergeHeaders(mergeHeaders(new Headers(), init.headers), again.headers)
  return { ...init, ...again, headers }
}

let defaultClient: Client | undefined

/** A one-off call with a client of default options, made on first use; typed as `client.request`. */
export const request = ((input: string | URL | Request, init?: RequestOptions) => {
  defaultClient ??= createClient()
  return defaultClient.request(input, init)
}) as CallFunction<RequestOptions>
