/** The hook the redirect policy calls: `beforeRedirect`, and what it is told. */
import type { RequestHead } from '../transport/types.ts'

/** A redirect about to be followed, as `beforeRedirect` sees it. */
export interface RedirectNotice {
  /** The next hop: where, how, and its headers (sensitive ones already dropped), to change freely. */
  readonly request: RequestHead
  /** The URL that answered with the redirect. */
  readonly from: URL
  readonly status: number
  /** The redirect's response headers. */
  readonly headers: Headers
}

/**
 * Told of each redirect the policy follows, before the next hop is sent; may change its headers
 * (a signature, a Referer as a Referrer-Policy asks). It is not asked about refused ones.
 */
export type BeforeRedirectHook = (notice: RedirectNotice) => void | Promise<void>
