/**
 * A transport that cannot run here — undici missing from a bundle, a Node too old for it, a
 * test's route table with no answer — is a mistake to fix, not an outage: the call rejects with
 * this error, saying what is missing and what to do, where a network failure would have become a
 * `network-error` result and read as the upstream being down.
 */
export class TransportUnavailableError extends TypeError {
  /** `'ERR_TRANSPORT_UNAVAILABLE'`; a test's route table that has no answer says `'ERR_NO_ROUTE'`. */
  readonly code: string

  /** `message` is the whole message, naming its source (`fetchkind: …`). */
  constructor(message: string, options?: ErrorOptions & { readonly code?: string }) {
    super(message, options)
    this.name = 'TransportUnavailableError'
    this.code = options?.code ?? 'ERR_TRANSPORT_UNAVAILABLE'
  }
}
