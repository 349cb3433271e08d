/**
 * The options the kernel itself reads for every call, resolved: its deadlines, how the body is
 * read, the hooks around each send, and what the attempt hands the transport. Each policy names
 * the options its stage reads beside it; the assembly (options/) puts them all together.
 */
import type { AddressGuard } from '../guard/address-guard.ts'
import type { BodyInit } from '../http/fetch-types.ts'
import type { StandardSchemaV1 } from '../result/schema.ts'
import type { ResponseType } from '../result/types.ts'
import type { BodyMaker, Dispatcher } from '../transport/types.ts'
import type { AfterInterimHook, BeforeRequestHook } from './hooks.ts'
import type { ProgressListener } from './progress.ts'

/** Milliseconds, or `false` for none. */
export interface Timeouts {
  readonly attempt: number | false
  readonly total: number | false
}

export interface CallOptions {
  readonly responseType: ResponseType
  readonly timeout: Timeouts
  readonly hooks: {
    readonly beforeRequest: readonly BeforeRequestHook[]
    readonly afterInterim: readonly AfterInterimHook[]
  }
  readonly schema: StandardSchemaV1 | undefined
  /** Lower-cased, the defaults included: the headers that carry credentials. */
  readonly sensitiveHeaders: ReadonlySet<string>
  /** `null` when `blockPrivateAddresses` is off. */
  readonly addressGuard: AddressGuard | null
  /**
   * The caller's cap on a body, or `undefined` for the default: 64 MiB on what fetchkind reads
   * into memory itself, none on a stream the caller reads.
   */
  readonly maxBodySize: number | undefined
  readonly parseJson: (text: string) => unknown
  readonly onUploadProgress: ProgressListener | undefined
  readonly onDownloadProgress: ProgressListener | undefined
  /** The request's `dispatcher`, if it has one. */
  readonly dispatcher: Dispatcher | undefined
  /** Whether the transport marks Resource Timing entries (a call `toFetch()` sends). */
  readonly resourceTiming: boolean
}

/** Everything one call needs: where, how, and under which options (`O`: the kernel's and the policies'). */
export interface PreparedCall<O extends CallOptions = CallOptions> {
  readonly url: URL
  readonly method: string
  readonly headers: Headers
  readonly body: BodyInit | BodyMaker | null
  readonly signal: AbortSignal | undefined
  readonly options: O
}
