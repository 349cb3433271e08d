/**
 * One exchange through an undici dispatcher, answered by a handler of fetchkind's own.
 *
 * undici.request wraps each response in a Node stream, an AsyncResource and an abort listener of
 * its own: on a small response that is a third of the call's CPU (bench/). This handler keeps the
 * body's chunks as they arrive, hands them over whole or as a web stream made only for a caller
 * who asks for one, and asks the server to wait (undici's pause) when unread bytes pile up.
 */
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import type { FieldRecord } from '../http/field-headers.ts'
import { type AbortListener, type AbortSource, signalSource } from './abort-source.ts'
import { BodyTooLargeError, joined } from './response-body.ts'
import type { ResponseBody } from './types.ts'

export interface DispatchedResponse {
  readonly status: number
  readonly statusText: string
  readonly headers: FieldRecord
  readonly body: DispatchedBody
}

export interface DispatchedBody extends ResponseBody {
  /** Nobody will read this body (a null-body response): its bytes are let go as they come. */
  discard(): void
}

export interface DispatchListeners {
  /** Each interim (1xx) response; what it throws abandons the exchange and rejects with it. */
  readonly onInterim?: ((status: number, headers: FieldRecord) => void) | undefined
  /** Told the bytes delivered once the body has been read to its end, or let go. */
  readonly onDone?: ((delivered: number) => void) | undefined
}

/** Unread bytes held before the server is asked to wait (a Node stream's default holds 64 KiB too). */
const HIGH_WATER = 64 * 1024

/**
 * Sends `options` through `dispatcher`; resolves with the response head once it arrives, rejects
 * when none does. `signal` aborts the exchange, the body read included, until the body has been
 * read.
 */
export function dispatch(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal | AbortSource | undefined,
  listeners?: DispatchListeners,
): Promise<DispatchedResponse>
/**
 * The same, resolving with what `shape` makes of the response head as it arrives: the caller's
 * own response, with no promise of its own to wait on for it.
 */
export function dispatch<T>(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal | AbortSource | undefined,
  listeners: DispatchListeners,
  shape: (response: DispatchedResponse) => T,
): Promise<T>
export function dispatch(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal | AbortSource | undefined,
  listeners: DispatchListeners = NO_LISTENERS,
  shape: (response: DispatchedResponse) => unknown = asItIs,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const requestBody = (options.body ?? null) as Partial<Readable> | null
    const source = signal instanceof AbortSignal ? signalSource(signal) : signal
    const early = source?.abortedWith
    if (early) {
      // Nothing is sent; a stream body the caller gave is cancelled, as fetch's abort cancels it.
      requestBody?.destroy?.()
      return reject(early.why)
    }
    const settle = { resolve, reject, shape }
    dispatcher.dispatch(options, new ExchangeHandler(settle, source, listeners, requestBody))
  })
}

const NO_LISTENERS: DispatchListeners = {}
const asItIs = (response: DispatchedResponse) => response

type Settle = {
  resolve: (response: unknown) => void
  reject: (error: unknown) => void
  /** What the response head is resolved as. */
  shape: (response: DispatchedResponse) => unknown
}

/** Where the body stands: arriving, all arrived, failed, or let go (cancelled, discarded, delivered). */
type BodyState = 'open' | 'ended' | 'failed' | 'closed'

class ExchangeHandler implements Dispatcher.DispatchHandler, DispatchedBody, AbortListener {
  #head: Settle | null
  readonly #source: AbortSource | undefined
  readonly #listeners: DispatchListeners
  readonly #requestBody: Partial<Readable> | null
  #controller: Dispatcher.DispatchController | null = null
  /** Why the exchange was aborted before undici started it; told to its controller when it does. */
  #abortedEarly: { readonly reason: unknown } | null = null

  #state: BodyState = 'open'
  #error: unknown
  /** Whether onDone has been told. */
  #reported = false
  readonly #chunks: Uint8Array[] = []
  /** Bytes held in #chunks. */
  #held = 0
  /** Bytes that arrived, counted against #limit. */
  #arrived = 0
  #limit = Number.POSITIVE_INFINITY
  /** A reader takes everything as it comes: nothing to hold back. */
  #whole = false
  /** The reader waiting for the body to change (more bytes, its end, a failure). */
  #wake: (() => void) | null = null

  constructor(
    settle: Settle,
    source: AbortSource | undefined,
    listeners: DispatchListeners,
    requestBody: Partial<Readable> | null,
  ) {
    this.#head = settle
    this.#requestBody = requestBody
    this.#source = source
    this.#listeners = listeners
    source?.listen(this)
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
    if (this.#abortedEarly) controller.abort(this.#abortedEarly.reason as Error)
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: FieldRecord,
    statusText?: string,
  ): void {
    // What the listener throws, undici aborts the exchange with: onResponseError rejects with it.
    if (status < 200) {
      this.#listeners.onInterim?.(status, headers)
      return
    }
    const head = this.#head
    this.#head = null
    if (!head) return
    let shaped: unknown
    try {
      shaped = head.shape({ status, statusText: statusText ?? '', headers, body: this })
    } catch (error) {
      // The call fails with it, and undici aborts the exchange with it.
      head.reject(error)
      throw error
    }
    head.resolve(shaped)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#state !== 'open') return
    this.#arrived += chunk.byteLength
    if (this.#arrived > this.#limit) {
      const error = new BodyTooLargeError(this.#limit)
      this.#fail(error)
      controller.abort(error)
      return
    }
    // A plain Uint8Array over the Buffer's bytes, as a stream's reader gets it (fetch's are not Buffers).
    this.#chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    this.#held += chunk.byteLength
    if (!this.#whole && this.#held > HIGH_WATER) controller.pause()
    this.#wakeReader()
  }

  onResponseEnd(): void {
    if (this.#state !== 'open') return
    this.#state = 'ended'
    this.#wakeReader()
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, error: Error): void {
    // A stream the request was sending is ended with the exchange, as undici.request ends it.
    this.#requestBody?.destroy?.(error)
    const head = this.#head
    if (head) {
      this.#head = null
      this.#unlisten()
      head.reject(error)
      return
    }
    this.#fail(error)
  }

  bytes(limit?: number): Promise<Uint8Array> {
    return this.#read(true, limit)
  }

  view(limit?: number): Promise<Uint8Array> {
    return this.#read(false, limit)
  }

  /**
   * The whole body at once, when it has all arrived and is within `limit` (a small response's
   * body comes with its head): for a reader that decodes it at once, with no promise to wait on.
   * `undefined` otherwise, and nothing changed: the reader reads it as `view` does.
   */
  viewNow(limit = Number.POSITIVE_INFINITY): Uint8Array | undefined {
    if (this.#state !== 'ended' || this.#arrived > limit) return undefined
    this.#whole = true
    return this.#take(false)
  }

  /** The whole body, in a buffer of its own when `copy` is set; else one arrived chunk may be it. */
  #read(copy: boolean, limit = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
    this.#whole = true
    this.#limit = limit
    if (this.#arrived > limit) {
      const error = new BodyTooLargeError(limit)
      const open = this.#state === 'open'
      this.#fail(error)
      if (open) this.#controller?.abort(error)
    }
    this.#controller?.resume()
    // All arrived already: no reader to wake.
    if (this.#state === 'ended') return Promise.resolve(this.#take(copy))
    return new Promise((resolve, reject) => {
      const settle = () => {
        if (this.#state === 'ended') return resolve(this.#take(copy))
        if (this.#state === 'failed') return reject(this.#error)
        if (this.#state === 'closed') return reject(new TypeError('fetchkind: the body was already read'))
        this.#wake = settle
      }
      settle()
    })
  }

  stream(): ReadableStream<Uint8Array> {
    // Pulled only when its reader reads (no chunk fetched ahead): until the reader has asked past
    // the last chunk, the body is not done with, and an abort still fails it, as fetch's does.
    return new ReadableStream<Uint8Array>(
      { pull: (controller) => this.#pull(controller), cancel: (reason) => this.#cancel(reason) },
      { highWaterMark: 0 },
    )
  }

  discard(): void {
    this.#whole = true
    this.#chunks.length = 0
    this.#held = 0
    this.#controller?.resume()
    // Its bytes are dropped as they come; the connection stays for the next request.
    this.#close(0)
  }

  /** Hands over the next chunk, the end, or the failure; waits for one of them. */
  #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> | void {
    const chunk = this.#chunks.shift()
    if (chunk) {
      this.#held -= chunk.byteLength
      if (this.#held <= HIGH_WATER) this.#controller?.resume()
      return controller.enqueue(chunk)
    }
    if (this.#state === 'ended') {
      this.#close(this.#arrived)
      return controller.close()
    }
    if (this.#state === 'failed') return controller.error(this.#error)
    if (this.#state === 'closed') return controller.close()
    return new Promise<void>((resolve) => {
      this.#wake = resolve
    }).then(() => this.#pull(controller))
  }

  /** Everything held, as one piece: the body has been read. */
  #take(copy: boolean): Uint8Array {
    const only = this.#chunks.length === 1 ? this.#chunks[0] : undefined
    const bytes = !copy && only ? only : joined(this.#chunks, this.#held)
    this.#chunks.length = 0
    this.#held = 0
    this.#close(bytes.byteLength)
    return bytes
  }

  /** Stops the exchange: nothing more is read, and the connection is not reused. */
  #cancel(reason: unknown): void {
    if (this.#state !== 'open') {
      this.#close(this.#arrived)
      return
    }
    const error = reason instanceof Error ? reason : new DOMException('The body was cancelled', 'AbortError')
    this.#fail(error)
    this.#controller?.abort(error)
    this.#close(this.#arrived)
  }

  #fail(error: unknown): void {
    if (this.#state === 'failed' || this.#state === 'closed') return
    this.#state = 'failed'
    this.#error = error
    this.#chunks.length = 0
    this.#held = 0
    this.#unlisten()
    this.#wakeReader()
  }

  /** The body is done with: its listener let go, and whoever counts it told. */
  #close(delivered: number): void {
    if (this.#state !== 'failed') this.#state = 'closed'
    this.#unlisten()
    if (this.#reported) return
    this.#reported = true
    this.#listeners.onDone?.(delivered)
  }

  #wakeReader(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  /** The exchange's abort source fired. */
  aborted(reason: unknown): void {
    if (this.#controller) {
      // Before the head: undici rejects it through onResponseError. After: the body fails with it.
      if (this.#state === 'open') this.#controller.abort(reason as Error)
      if (!this.#head) this.#fail(reason)
      return
    }
    // Still waiting for a connection: the caller is answered now; undici drops the request when it starts.
    this.#abortedEarly = { reason }
    this.onResponseError(null, reason as Error)
  }

  #unlisten(): void {
    this.#source?.unlisten(this)
  }
}
