/** The options as the stages read them: merged, checked, and with their defaults. */
import type { CallOptions, PreparedCall as KernelPreparedCall } from '../call/options.ts'
import type { AddressGuard } from '../guard/address-guard.ts'
import type { FailureKind } from '../result/types.ts'
import type { Transport } from '../transport/types.ts'
import type { CallHooks } from './checks.ts'
import type { PolicyCallOptions, PolicyStates } from './policies.ts'
import type { SharedResolved } from './schema.ts'

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

/** A client's options, checked once when the client is made. */
export interface ClientDefaults extends SharedResolved {
  readonly baseUrl: URL | undefined
  readonly headers: Headers
  readonly searchParams: URLSearchParams
  readonly addressGuard: AddressGuard | null
  readonly transport: Transport
  /** Each policy's, resolved by the policy (policies.ts). */
  readonly policies: PolicyStates
  /** The policies' part of the options of a call that names none of theirs. */
  readonly policyCall: PolicyCallOptions
  /** The options of a call that names none but its URL, method, headers, body and signal. */
  readonly callOptions: ResolvedOptions
}

export type PreparedCall = KernelPreparedCall<ResolvedOptions>
