/** What a transport does: one HTTP exchange, no redirects followed, nothing retried. */

export interface TransportRequest {
  readonly url: URL
  readonly method: string
  readonly headers: Headers
  readonly body: BodyInit | null
  /** Aborts the exchange, the body read included. */
  readonly signal: AbortSignal
}

export interface TransportResponse {
  readonly status: number
  /** The reason phrase on the wire; empty on HTTP/2. */
  readonly statusText: string
  readonly headers: Headers
  readonly body: ReadableStream<Uint8Array> | null
}

/** Sends one request and resolves with its response head; rejects when no response arrives. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>
