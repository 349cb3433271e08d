/**
 * `Content-Encoding: deflate` as fetch reads it. RFC 9110 §8.4.1.2 says deflate is a zlib stream,
 * but servers have long sent raw deflate under that name, and fetch (undici's and browsers')
 * decodes both, telling them apart by the first byte. undici's decompress handler reads only
 * zlib, so a raw deflate body was `invalid-response` on this transport alone. This handler,
 * beneath undici's (decoding.ts), decodes a deflate applied last (listed last, decoded first)
 * itself, either way, and hands undici's the codings before it.
 */
import type { Transform } from 'node:stream'
import { createInflate, createInflateRaw } from 'node:zlib'
import type { Dispatcher } from 'undici'

type Handler = Dispatcher.DispatchHandler
type Controller = Dispatcher.DispatchController
type Fields = Record<string, string | string[] | undefined>

/** Statuses whose body is never decoded (undici's decompress skips the same). */
const NOT_DECODED = new Set([204, 304])

export class InflatingHandler implements Handler {
  readonly #handler: Handler
  /** Whether this response's deflate is decoded here. */
  #decoding = false
  /** Made at the first byte of the body, which tells which kind of deflate it is. */
  #inflater: Transform | null = null
  #ended = false

  constructor(handler: Handler) {
    this.#handler = handler
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#handler.onRequestStart?.(new PacedController(controller, () => this.#inflater), context)
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Handler['onRequestUpgrade']>>): void {
    this.#handler.onRequestUpgrade?.(...args)
  }

  onResponseStart(controller: Controller, status: number, headers: Fields, message: string): void {
    const codings = joined(headers['content-encoding'])?.split(',') ?? []
    const last = codings.at(-1)?.trim().toLowerCase()
    this.#decoding = status >= 200 && !NOT_DECODED.has(status) && last === 'deflate'
    if (!this.#decoding) {
      this.#handler.onResponseStart?.(controller, status, headers, message)
      return
    }
    const { 'content-encoding': _, 'content-length': __, ...rest } = headers
    const before = codings.slice(0, -1).join(',').trim()
    const fields = before ? { ...rest, 'content-encoding': before } : rest
    this.#handler.onResponseStart?.(controller, status, fields, message)
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (!this.#decoding) {
      this.#handler.onResponseData?.(controller, chunk)
      return
    }
    if (chunk.length === 0) return
    this.#inflater ??= this.#startInflater(controller, chunk)
    if (!this.#inflater.write(chunk)) {
      controller.pause()
      this.#inflater.once('drain', () => controller.resume())
    }
  }

  onResponseEnd(controller: Controller, trailers: Fields): void {
    if (!this.#inflater) {
      this.#handler.onResponseEnd?.(controller, trailers)
      return
    }
    this.#ended = true
    this.#inflater.once('end', () => this.#handler.onResponseEnd?.(controller, trailers))
    this.#inflater.end()
  }

  onResponseError(controller: Controller | null, error: Error): void {
    this.#inflater?.destroy()
    this.#inflater = null
    this.#handler.onResponseError?.(controller as Controller, error)
  }

  /**
   * zlib or raw deflate, told by the first byte as fetch tells them: a zlib stream's first byte
   * names the deflate method (CM = 8) in its low four bits.
   */
  #startInflater(controller: Controller, first: Buffer): Transform {
    const inflater = ((first[0] as number) & 0x0f) === 0x08 ? createInflate() : createInflateRaw()
    inflater.on('data', (chunk: Buffer) => this.#handler.onResponseData?.(controller, chunk))
    inflater.on('error', (error: Error) => {
      // Once the wire has ended, aborting it tells nobody: the error goes up directly.
      if (this.#ended) this.onResponseError(controller, error)
      else controller.abort(error)
    })
    return inflater
  }
}

/** The exchange's controller, whose pause holds back what is decoded as well as what arrives. */
class PacedController implements Controller {
  readonly #wire: Controller
  readonly #inflater: () => Transform | null

  constructor(wire: Controller, inflater: () => Transform | null) {
    this.#wire = wire
    this.#inflater = inflater
  }

  get paused(): boolean {
    return this.#wire.paused
  }

  get aborted(): boolean {
    return this.#wire.aborted
  }

  get reason(): Error | null {
    return this.#wire.reason
  }

  get rawHeaders(): NonNullable<Controller['rawHeaders']> | null {
    return this.#wire.rawHeaders ?? null
  }

  get rawTrailers(): NonNullable<Controller['rawTrailers']> | null {
    return this.#wire.rawTrailers ?? null
  }

  abort(reason: Error): void {
    this.#wire.abort(reason)
  }

  pause(): void {
    this.#inflater()?.pause()
    this.#wire.pause()
  }

  resume(): void {
    this.#inflater()?.resume()
    this.#wire.resume()
  }
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value
}
