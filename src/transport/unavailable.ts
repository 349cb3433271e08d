/**
 * A transport that cannot run here — undici missing from a bundle, a Node too old for it — is a
 * deployment problem, not an outage: the call rejects with this error, saying what is missing and
 * what to do, where a network failure would have become a `network-error` result and read as the
 * upstream being down.
 */
export class TransportUnavailableError extends TypeError {
  readonly code = 'ERR_TRANSPORT_UNAVAILABLE'

  constructor(reason: string, options?: ErrorOptions) {
    super(`fetchkind: ${reason}`, options)
    this.name = 'TransportUnavailableError'
  }
}
