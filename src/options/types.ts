/**
 * The public option types: what a client and each request may be given, and the hooks among
 * them. Checked and resolved in resolve.ts and prepare.ts.
 */
import type { CacheMode, CacheOptions } from '../cache/options.ts'
import type { AfterInterimHook, BeforeRequestHook, HookAnswer } from '../call/hooks.ts'
import type { ProgressListener } from '../call/progress.ts'
import type { AdaptiveConcurrencyOptions } from '../concurrency/options.ts'
import type { DeadlineOptions } from '../deadline/options.ts'
import type { AddressGuardOptions } from '../guard/address-guard.ts'
import type { HedgeOptions } from '../hedge/options.ts'
import type { BodyInit, HeadersInit } from '../http/fetch-types.ts'
import type { BeforeRedirectHook } from '../redirect/hooks.ts'
import type { RedirectOptions } from '../redirect/options.ts'
import type { BulkheadOptions, CircuitBreakerOptions, RateLimitOptions } from '../resilience/options.ts'
import type { StandardSchemaV1 } from '../result/schema.ts'
import type { FailureKind, ResponseType, Result } from '../result/types.ts'
import type { BeforeRetryHook, RetryOptions } from '../retry/options.ts'
import type { FetchFunction } from '../transport/fetch.ts'
import type { Dispatcher, RequestHead, Transport } from '../transport/types.ts'

export type { AfterInterimHook, BeforeRequestHook, InterimNotice } from '../call/hooks.ts'
export type { Progress, ProgressListener } from '../call/progress.ts'
export type { BeforeRedirectHook, RedirectNotice } from '../redirect/hooks.ts'
export type { ResponseType } from '../result/types.ts'
export type { BeforeRetryHook } from '../retry/options.ts'

/** A request body: any `BodyInit`, or an async iterable of bytes or strings, sent as a stream. */
export type BodySource = BodyInit | AsyncIterable<Uint8Array | string>

/**
 * In a record, `undefined` skips a name, and an array repeats it once per value (`tag=a&tag=b`;
 * `[]` sends none), where axios would write `tag[]=a`: a server that wants that names it so.
 */
export type SearchParamsInit =
  | string
  | URLSearchParams
  | ReadonlyArray<readonly [string, string]>
  | Readonly<
      Record<
        string,
        string | number | boolean | null | undefined | readonly (string | number | boolean | null)[]
      >
    >

/** Header values; in a record, `undefined` removes a header the client set by default. */
export type HeadersOption = HeadersInit | Readonly<Record<string, string | undefined>>

export interface TimeoutOptions {
  /** Longest one network attempt may take, from sending to the last byte of a buffered body. Default 10 000 ms. */
  readonly attempt?: number | false | undefined
  /** Longest the whole call may take: attempts, waits between them, and the body. Default 30 000 ms. */
  readonly total?: number | false | undefined
}

/** Options shared by the client and each request; a request's own override the client's. */
export interface SharedOptions {
  /** Resolves a relative request URL, as `new URL(input, baseUrl)` does, with a trailing slash added to its path. */
  readonly baseUrl?: string | URL | undefined
  readonly headers?: HeadersOption | undefined
  /** Query parameters set on the URL; a request's own replace the client's of the same name. */
  readonly searchParams?: SearchParamsInit | undefined
  /** Default `'auto'`: JSON for `application/json` and `+json`, text for `text/*`, bytes otherwise. */
  readonly responseType?: ResponseType | undefined
  /**
   * A number is the attempt deadline in milliseconds (as ky's `timeout`), the total one kept;
   * `false` turns both deadlines off.
   */
  readonly timeout?: TimeoutOptions | number | false | undefined
  /**
   * The most bytes a body may decode to; past it the body is cancelled and the result is
   * `invalid-response`, `'body-too-large'` (a gzip bomb declares a few KiB). Default 64 MiB.
   */
  readonly maxBodySize?: number | undefined
  /**
   * Reads a JSON body in place of `JSON.parse` (a BigInt-safe or prototype-safe parser); what it
   * throws makes a success `invalid-response`, `'malformed-body'`, as a syntax error does.
   */
  readonly parseJson?: ((text: string) => unknown) | undefined
  /** Writes the `json` option's value in place of `JSON.stringify`. */
  readonly stringifyJson?: ((value: unknown) => string) | undefined
  /**
   * Kinds of result that reject the call with an `HttpError` (carrying the result) instead of
   * resolving with them: for a call whose result nobody reads. Default none; a request's list
   * replaces the client's.
   */
  readonly throwOn?: readonly FailureKind[] | undefined
  /** Which redirects are followed; a request's fields override the client's one by one. */
  readonly redirect?: RedirectOptions | undefined
  /**
   * Whether a call keeps to the deadline scope it runs in (`withDeadline`, `deadlineMiddleware`),
   * and the header that sends each attempt's time left downstream; a request's fields override
   * the client's one by one.
   */
  readonly deadline?: DeadlineOptions | undefined
  /**
   * Which failures are retried and how. A number is the most retries (`retry: 3` is
   * `{ limit: 3 }`, as in ky), the rest of the policy kept; `false` turns retries off.
   */
  readonly retry?: RetryOptions | number | false | undefined
  /** Code of yours at the edges of the call; a request's run after the client's. */
  readonly hooks?: HookOptions | undefined
  /**
   * Header names that carry credentials, besides `authorization`, `proxy-authorization`,
   * `cookie`, `cookie2`, `x-api-key`, `api-key` and `x-auth-token`: dropped when a redirect
   * changes origin, kept by the cache only as a keyed hash, and sent from a client's `headers`
   * only to its `baseUrl` origin. A request's add to the client's; none can remove a default.
   */
  readonly sensitiveHeaders?: readonly string[] | undefined
  /**
   * Told how much of each attempt's request body the transport has taken (ky's
   * `onUploadProgress`). A body of known size is then sent in 64 KiB pieces, with its
   * Content-Length; a stream's total is its Content-Length header, if the caller set one.
   */
  readonly onUploadProgress?: ProgressListener | undefined
  /**
   * Told how much of the result's body has arrived, as it is read (ky's `onDownloadProgress`,
   * got's `downloadProgress`); with `responseType: 'stream'`, as the caller reads it. Bodies
   * nobody reads (a redirect's, a retried error's, `responseType: 'none'`) report nothing.
   */
  readonly onDownloadProgress?: ProgressListener | undefined
}

/** Each hook may be one function or a list, run in order. */
export interface HookOptions {
  readonly beforeRequest?: BeforeRequestHook | readonly BeforeRequestHook[] | undefined
  readonly afterResult?: AfterResultHook | readonly AfterResultHook[] | undefined
  readonly beforeRetry?: BeforeRetryHook | readonly BeforeRetryHook[] | undefined
  readonly beforeRedirect?: BeforeRedirectHook | readonly BeforeRedirectHook[] | undefined
  readonly afterInterim?: AfterInterimHook | readonly AfterInterimHook[] | undefined
}

export interface ClientOptions extends SharedOptions {
  /** A fetch to send requests with (an instrumented one, a mock): the fetch transport on it. */
  readonly fetch?: FetchFunction | undefined
  /**
   * What sends each request: `undiciTransport()` from `fetchkind/undici`, `fetchTransport()`, or
   * your own. Default: on Node, one undici transport shared by every such client, while global
   * fetch is Node's own; elsewhere, or once something has replaced global fetch (msw, an
   * instrumented fetch), the fetch transport, so that the replacement sees every call.
   */
  readonly transport?: Transport | undefined
  /** The HTTP cache: on by default, in memory; `false` turns it off for the client. */
  readonly cache?: CacheOptions | false | undefined
  /**
   * Refuse requests and redirects to loopback, private, link-local (cloud metadata), CGNAT,
   * multicast and reserved addresses, in any spelling (IPv4 inside IPv6 included), and to
   * localhost and metadata names: for services that fetch user-supplied URLs. `{ allow, deny }`
   * turns it on with exceptions (CIDR ranges, addresses, host names, `*.example`). Here the URL's
   * host is checked; `undiciTransport({ blockPrivateAddresses })` also checks every address DNS
   * gives. Default `false`.
   */
  readonly blockPrivateAddresses?: boolean | AddressGuardOptions | undefined
  /**
   * A circuit breaker per origin (or `key`): past a failure ratio over a sliding window it refuses
   * calls for a while (`kind: 'refused'`, `reason: 'circuit-open'`), then lets probes through.
   * `true` for Polly's defaults. Default off.
   */
  readonly circuitBreaker?: CircuitBreakerOptions | boolean | undefined
  /**
   * At most `limit` requests per `interval` per origin (or `key`), every attempt counted; a call
   * waits up to `maxWait` for its turn, else is refused (`reason: 'rate-limited'`). Default off.
   */
  readonly rateLimit?: RateLimitOptions | boolean | undefined
  /**
   * At most `maxConcurrent` calls in flight per origin (or `key`), `maxQueued` more waiting; the rest
   * refused at once (`reason: 'bulkhead-full'`). `true` for Polly's defaults (1 000, 0). Default off.
   */
  readonly bulkhead?: BulkheadOptions | boolean | undefined
  /**
   * Hedged requests ("The Tail at Scale"): an idempotent request unanswered after `delay` (by
   * default the origin's 97th-percentile answer time) is sent again, up to twice, the first
   * usable answer winning and the other copies cancelled, within a budget of 5 % more requests.
   * Default off.
   */
  readonly hedge?: HedgeOptions | boolean | undefined
  /**
   * A concurrency limit per origin (or `key`) found from measured latency: raised while answers
   * come as fast as the recent best, lowered when they slow (a queue is building upstream) or are
   * shed; calls over it wait (as many as the limit) or are refused (`reason: 'concurrency-limited'`).
   * The current limit is in `meta.concurrency`. Default off.
   */
  readonly adaptiveConcurrency?: AdaptiveConcurrencyOptions | boolean | undefined
}

export interface RequestOptions extends SharedOptions {
  /** Default `'GET'`. Standard methods are upper-cased, whatever case they come in. */
  readonly method?: string | undefined
  /** A value to send as JSON; sets `content-type: application/json` unless a header says otherwise. */
  readonly json?: unknown | undefined
  /**
   * Any `BodyInit` fetch takes, or an async iterable of bytes or strings — a Node `Readable`
   * (`fs.createReadStream`), an async generator — sent as a stream (once: a retry or a 307 that
   * must send it again cannot). Or a function that makes the body, called again for each attempt
   * and each redirect that sends it, so that a stream can be retried:
   * `body: () => fs.createReadStream(path)`. What it throws ends the call as `kind: 'hook-error'`,
   * hook `'body'`.
   */
  readonly body?: BodySource | (() => BodySource | Promise<BodySource>) | null | undefined
  /** The caller's signal: aborting it ends the call with `kind: 'aborted'`. */
  readonly signal?: AbortSignal | undefined
  /**
   * `true` sends an `Idempotency-Key` (a random UUID) that stays the same across attempts, and so
   * lets a POST or PATCH be retried; a string sends that key.
   */
  readonly idempotencyKey?: boolean | string | undefined
  /** The Fetch cache mode for this request; `false` is `'no-store'`. Default: the client's `cache.mode`. */
  readonly cache?: CacheMode | false | undefined
  /**
   * Any Standard Schema validator (zod, valibot, arktype…): a success's body is checked against it
   * and `data` is its output, typed; a body it rejects is `invalid-response`, `'schema-mismatch'`.
   */
  readonly schema?: StandardSchemaV1 | undefined
  /**
   * undici's Dispatcher to send this request through (a ProxyAgent, an Agent with other TLS
   * options, a MockAgent): the undici transport sends through it, with its decompression and
   * address checks composed on; the fetch transport hands it to fetch, which Node's honours.
   */
  readonly dispatcher?: Dispatcher | undefined
}

export interface AfterResultContext {
  readonly request: RequestHead
  /** How many times `afterResult` has had the call sent again: 0, or 1 on the repeat. */
  readonly resends: number
}

/**
 * May return request options to send the call once more with (merged over the original's, headers
 * by name): after refreshing a token on a 401, say. One resend per call: a hook asked on the
 * resend's result cannot have it sent a third time.
 */
export type AfterResultHook = (result: Result, context: AfterResultContext) => HookAnswer<RequestOptions>

export interface Hooks {
  readonly beforeRequest?: readonly BeforeRequestHook[] | undefined
  readonly afterResult?: readonly AfterResultHook[] | undefined
  readonly beforeRetry?: readonly BeforeRetryHook[] | undefined
  readonly beforeRedirect?: readonly BeforeRedirectHook[] | undefined
  readonly afterInterim?: readonly AfterInterimHook[] | undefined
}
