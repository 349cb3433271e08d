/**
 * `createClient`: the request pipeline, composed once per client.
 *
 *   options → redirect → cache → retry → attempt (transport) → classify
 *
 * Each policy is a stage of one shape (pipeline.ts) in `stages` below, outermost first: redirects
 * per call, the cache per hop URL, retries per origin.
 */
import { cacheStage } from './cache/stage.ts'
import { runCall } from './call.ts'
import { type ClientOptions, prepareCall, type RequestOptions, resolveClientOptions } from './options.ts'
import { compose, type Stage } from './pipeline.ts'
import { followRedirects } from './redirect/stage.ts'
import type { Result } from './result/types.ts'
import { RetryBudgets } from './retry/budget.ts'
import { retryStage } from './retry/stage.ts'
import { sendAttempt } from './transport/attempt.ts'

/** The type of `data` on success that a request's `responseType` implies. */
export type DataFor<O, T> = O extends { readonly responseType: infer R }
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

/** A call whose `data` on success is typed by `T` and by the options' `responseType`. */
export type CallFunction<Base> = <T = unknown, const O extends Base = Base>(
  input: string | URL,
  init?: O,
) => Promise<Result<DataFor<O, T>>>

export interface Client {
  request: CallFunction<RequestOptions>
  get: CallFunction<BodylessOptions>
  /** HEAD has no body: `data` is `undefined`. */
  head: (input: string | URL, init?: BodylessOptions) => Promise<Result<undefined>>
  post: CallFunction<MethodOptions>
  put: CallFunction<MethodOptions>
  patch: CallFunction<MethodOptions>
  delete: CallFunction<MethodOptions>
  options: CallFunction<BodylessOptions>
}

/**
 * Makes a client. Its options are checked now (a mistake throws a TypeError naming the option)
 * and apply to every request it sends; a request's own options override them.
 */
export function createClient(options: ClientOptions = {}): Client {
  const defaults = resolveClientOptions(options)
  const stages: Stage[] = [followRedirects, cacheStage(defaults.cache), retryStage(new RetryBudgets())]
  const pipeline = compose(stages, sendAttempt(defaults.transport))

  // Not async: a mistake in the options throws at the call, not as a rejection later.
  const request = (input: string | URL, init?: RequestOptions): Promise<Result<never>> =>
    runCall(prepareCall(defaults, input, init), pipeline) as Promise<Result<never>>
  const withMethod =
    (method: string) =>
    (input: string | URL, init?: RequestOptions): Promise<Result<never>> =>
      request(input, { ...init, method })

  return {
    request,
    get: withMethod('GET'),
    head: withMethod('HEAD'),
    post: withMethod('POST'),
    put: withMethod('PUT'),
    patch: withMethod('PATCH'),
    delete: withMethod('DELETE'),
    options: withMethod('OPTIONS'),
  }
}

let defaultClient: Client | undefined

/** A one-off call with a client of default options, made on first use. */
export function request<T = unknown, const O extends RequestOptions = RequestOptions>(
  input: string | URL,
  init?: O,
): Promise<Result<DataFor<O, T>>> {
  defaultClient ??= createClient()
  return defaultClient.request<T, O>(input, init)
}
