/** The options as the stages read them: merged, checked, and with their defaults. */
import type { CallOptions, PreparedCall as KernelPreparedCall, Timeouts } from '../call/options.ts'
import type { AddressGuard } from '../guard/address-guard.ts'
import type { FailureKind } from '../result/types.ts'
import type { Transport } from '../transport/types.ts'
import type { PolicyCallOptions, PolicyStates } from './policies.ts'
import type { AfterResultHook, ProgressListener, ResponseType } from './types.ts'

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

/**
 * The options of one call, merged and checked: the kernel's and each policy's, put together; each
 * stage reads only the part its type names.
 */
export interface ResolvedOptions extends CallOptions, PolicyCallOptions {
  readonly hooks: CallHooks
  /** The kinds that reject the call with an HttpError. */
  readonly throwOn: ReadonlySet<FailureKind>
}

/** The hooks the kernel runs, and `afterResult`, which the client runs once the call has ended. */
export interface CallHooks extends Readonly<CallOptions['hooks']> {
  readonly afterResult: readonly AfterResultHook[]
}

/** A client's options, checked once when the client is made. */
export interface ClientDefaults {
  readonly baseUrl: URL | undefined
  readonly headers: Headers
  readonly searchParams: URLSearchParams
  readonly responseType: ResponseType
  readonly timeout: Timeouts
  readonly hooks: CallHooks
  readonly sensitiveHeaders: ReadonlySet<string>
  readonly addressGuard: AddressGuard | null
  readonly maxBodySize: number
  readonly parseJson: (text: string) => unknown
  readonly stringifyJson: (value: unknown) => string
  readonly throwOn: ReadonlySet<FailureKind>
  readonly onUploadProgress: ProgressListener | undefined
  readonly onDownloadProgress: ProgressListener | undefined
  readonly transport: Transport
  /** Each policy's, resolved by the policy (policies.ts). */
  readonly policies: PolicyStates
}

export type PreparedCall = KernelPreparedCall<ResolvedOptions>
