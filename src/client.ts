/**
 * `createClient`: the request pipeline, composed once per client — each request's options
 * prepared (options/), sent down the policies' stages in the registry's order
 * (options/policies.ts) to the kernel's attempt, and its outcome read into a result (call/run.ts).
 */

import { fetchDefaults } from './adapters/fetch-defaults.ts'
import { type PageHop, type PaginationOptions, paginate } from './adapters/paginate.ts'
import { toFetch } from './adapters/to-fetch.ts'
import { attemptStage } from './call/attempt.ts'
import { HookFailure, runHook } from './call/hooks.ts'
import { hookErrorResult, runCall } from './call/run.ts'
import { compose } from './call/stage.ts'
import type { CallFunction, Client, ThrownOf } from './client-types.ts'
import { mergeHeaders } from './options/headers.ts'
import { stagesOf } from './options/policies.ts'
import { methodOnly, prepareCall } from './options/prepare.ts'
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
import type { FailureKind, Result } from './result/types.ts'

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
  const withMethod = (method: string) => {
    const alone = methodOnly(method)
    return (input: string | URL | Request, init?: RequestOptions): Promise<Result> =>
      request(input, init === undefined ? alone : { ...init, method })
  }

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
