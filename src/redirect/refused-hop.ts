/**
 * The result of a URL a server chose that the next-hop rules refuse before anything is sent to it
 * (redirect/next-hop.ts), where no response of its own could carry the refusal: the next page.
 */
import { redactUrlText } from '../guard/redact.ts'
import { nothingSent } from '../result/meta.ts'
import type { NetworkError, RedirectReason } from '../result/types.ts'

export class RefusedHopError extends Error {
  readonly code = 'ERR_REFUSED_HOP'
  /** The URL as the server gave it, its userinfo hidden. */
  readonly url: string
  readonly reason: RedirectReason

  constructor(url: string, reason: RedirectReason) {
    super(`fetchkind: ${url} was chosen by the server and not requested (${reason})`)
    this.url = url
    this.reason = reason
  }
}

/** `network-error` `ERR_REFUSED_HOP`: nothing was sent, and the URL in it shows no password. */
export function refusedHopResult(method: string, target: string | URL, reason: RedirectReason): NetworkError {
  const url = redactUrlText(String(target))
  const error = new RefusedHopError(url, reason)
  return {
    kind: 'network-error',
    ok: false,
    code: error.code,
    message: error.message,
    error,
    meta: nothingSent(method, url),
  }
}
