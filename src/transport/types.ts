/** What a transport does: one HTTP exchange, no redirects followed, nothing retried. */
import type { Dispatcher } from 'undici'
import type { BodyInit } from '../http/fetch-types.ts'
import type { HttpProtocol } from '../result/types.ts'

export type { Dispatcher }

/**
 * A request as every layer sees it — a hook, the redirect decision, a stage, a transport: where,
 * how, which headers and which body. Each adds only what it needs besides.
 */
export interface RequestHead {
  readonly url: URL
  readonly method: string
  readonly headers: Headers
  /** A function when the caller gave one (`body: () => …`): called for each attempt that sends it. */
  readonly body: BodyInit | BodyMaker | null
}

/** A request body made anew for each attempt that sends it. */
export type BodyMaker = () => Promise<BodyInit>

export interface TransportRequest extends Omit<RequestHead, 'body'> {
  readonly body: BodyInit | null
  /** Aborts the exchange, the body read included. */
  readonly signal: AbortSignal
  /**
   * Set when the client blocks private addresses (`blockPrivateAddresses`). Its host has been
   * checked; a transport that resolves names itself (the undici transport) checks every address
   * it would dial as well — a name's every DNS answer, an address literal as it is. The fetch
   * transport cannot: fetch resolves out of reach.
   */
  readonly addressGuard?: ResolvedAddressCheck | null
  /** The caller's undici Dispatcher for this request (`dispatcher`), to send through in place of the transport's own. */
  readonly dispatcher?: Dispatcher | undefined
  /**
   * Mark a Resource Timing entry for this exchange, as fetch does (set for `toFetch()` calls). The
   * fetch transport's fetch marks its own whatever this says.
   */
  readonly resourceTiming?: boolean
  /** Told of each interim (1xx) response, where the transport sees them (the undici transport). */
  readonly onInterim?: ((status: number, headers: Headers) => void) | undefined
}

/** Whether an address `hostname` stands for (a DNS answer, or the literal itself) must not be dialled. */
export interface ResolvedAddressCheck {
  blocksResolved(hostname: string, address: string): boolean
}

/**
 * A response body not yet read, to be read once: whole, which each transport does its fastest
 * way, or as a web stream, for the caller or for reading in parts.
 */
export interface ResponseBody {
  /**
   * The whole body. Past `limit` bytes (counted as they arrive, decoded), it rejects with
   * `BodyTooLargeError` and the rest is cancelled.
   */
  bytes(limit?: number): Promise<Uint8Array>
  /**
   * The whole body as `bytes` gives it, but perhaps the transport's or the store's own memory
   * rather than a copy of it: for a reader that decodes it at once and keeps nothing (text,
   * JSON). Optional: without it, `bytes` is read.
   */
  view?(limit?: number): Promise<Uint8Array>
  /**
   * The body as `view` gives it, at once, when it has all arrived and is within `limit`;
   * `undefined` (nothing read) otherwise. Optional: a reader without it waits for `view`.
   */
  viewNow?(limit?: number): Uint8Array | undefined
  stream(): ReadableStream<Uint8Array>
}

export interface TransportResponse {
  readonly status: number
  /** The reason phrase on the wire; empty on HTTP/2. */
  readonly statusText: string
  readonly headers: Headers
  readonly body: ResponseBody | null
  /** The protocol it came over (`'http/1.1'`, `'h2'`), where the transport can tell. */
  readonly protocol?: HttpProtocol | undefined
}

/** Sends one request and resolves with its response head; rejects when no response arrives. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>
