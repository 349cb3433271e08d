/** The options as the stages read them: merged, checked, and with their defaults. */
import type { CacheMode, ClientCache } from '../cache/options.ts'
import type { AddressGuard } from '../guard/address-guard.ts'
import type { RedirectPolicy } from '../redirect/options.ts'
import type { BreakerPolicy, BulkheadPolicy, LimiterPolicy } from '../resilience/options.ts'
import type { StandardSchemaV1 } from '../result/schema.ts'
import type { FailureKind } from '../result/types.ts'
import type { RetryPolicy } from '../retry/options.ts'
import type { BodyMaker, Dispatcher, Transport } from '../transport/types.ts'
import type { Hooks, ProgressListener, ResponseType } from './types.ts'

/**
 * Set on the options `toFetch()` sends a call with: the call is a fetch, and its transport marks
 * Resource Timing entries as fetch does. Not public: on a plain request nobody reads them, and
 * each costs some 20 µs once Node's buffer of 250 is full.
 */
export const AS_FETCH = Symbol('fetchkind.asFetch')

/**
 * Set on the options of a request to a URL a server chose, such as the next page: the URL of the
 * request whose credentials these are. Its sensitive headers (the client's and the request's)
 * go only to that URL's origin, as a redirect's do.
 */
export const CREDENTIALS_FOR = Symbol('fetchkind.credentialsFor')

/** The options a stage reads, merged and checked. */
export interface ResolvedOptions {
  readonly responseType: ResponseType
  readonly timeout: { readonly attempt: number | false; readonly total: number | false }
  readonly redirect: RedirectPolicy
  readonly retry: RetryPolicy | false
  readonly cacheMode: CacheMode
  readonly hooks: Required<Hooks>
  readonly schema: StandardSchemaV1 | undefined
  /** Lower-cased, the defaults included. */
  readonly sensitiveHeaders: ReadonlySet<string>
  /** `null` when `blockPrivateAddresses` is off. */
  readonly addressGuard: AddressGuard | null
  readonly maxBodySize: number
  readonly parseJson: (text: string) => unknown
  /** The kinds that reject the call with an HttpError. */
  readonly throwOn: ReadonlySet<FailureKind>
  readonly onUploadProgress: ProgressListener | undefined
  readonly onDownloadProgress: ProgressListener | undefined
  /** The request's `dispatcher`, if it has one. */
  readonly dispatcher: Dispatcher | undefined
  /** Whether the transport marks Resource Timing entries (`AS_FETCH`). */
  readonly resourceTiming: boolean
}

/** A client's options, checked once when the client is made. */
export interface ClientDefaults {
  readonly baseUrl: URL | undefined
  readonly headers: Headers
  readonly searchParams: URLSearchParams
  readonly responseType: ResponseType
  readonly timeout: ResolvedOptions['timeout']
  readonly redirect: RedirectPolicy
  readonly retry: RetryPolicy | false
  readonly cache: ClientCache | false
  readonly hooks: Required<Hooks>
  readonly sensitiveHeaders: ReadonlySet<string>
  readonly addressGuard: AddressGuard | null
  readonly maxBodySize: number
  readonly parseJson: (text: string) => unknown
  readonly stringifyJson: (value: unknown) => string
  readonly throwOn: ReadonlySet<FailureKind>
  readonly onUploadProgress: ProgressListener | undefined
  readonly onDownloadProgress: ProgressListener | undefined
  readonly circuitBreaker: BreakerPolicy | null
  readonly rateLimit: LimiterPolicy | null
  readonly bulkhead: BulkheadPolicy | null
  readonly transport: Transport
}

/** Everything one call needs: where, how, and under which options. */
export interface PreparedCall {
  readonly url: URL
  readonly method: string
  readonly headers: Headers
  readonly body: BodyInit | BodyMaker | null
  readonly signal: AbortSignal | undefined
  readonly options: ResolvedOptions
}
