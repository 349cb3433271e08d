/**
 * Responses decoded as fetch decodes them, and noted as they were on the wire — one handler per
 * request, and decoders only for a response that names a Content-Encoding.
 *
 * Composed as three interceptors (the wire note, raw deflate, undici's decompress), every request
 * paid for three handlers, a controller and their closures — a tenth of what a small call
 * allocated — though most responses on a service's path are not encoded at all. This handler
 * notes the wire and passes an unencoded response straight on; for an encoded one it builds the
 * decoders then: undici's decompress handler (fetch decodes error responses too), beneath it the
 * raw-or-zlib deflate that undici does not read (inflate.ts).
 */
import type { Dispatcher } from 'undici'
import type { HttpProtocol } from '../result/types.ts'
import { InflatingHandler } from './inflate.ts'
import type { Undici } from './load-undici.ts'

type Handler = Dispatcher.DispatchHandler
type Controller = Dispatcher.DispatchController
type Fields = Record<string, string | string[] | undefined>

/** The dispatch option that carries a request's note down to the handler. */
export const WIRE_NOTE = Symbol('fetchkind.wireNote')

/** The response as it arrived, before decoding. */
export interface WireNote {
  encoding?: string | undefined
  length?: string | undefined
  /** Body bytes received so far. */
  received: number
  /** The protocol the final response came over. */
  protocol?: HttpProtocol | undefined
}

type NotedOptions = Dispatcher.DispatchOptions & { [WIRE_NOTE]?: WireNote }

/** Statuses whose body is never decoded (undici's decompress skips the same). */
const NOT_DECODED = new Set([204, 304])

/** Decodes as fetch does, and notes the wire for the request that carries a `WIRE_NOTE`. */
export function decodingAsFetch(undici: Undici): Dispatcher.DispatcherComposeInterceptor {
  const decompress = undici.interceptors.decompress({ skipErrorResponses: false })
  // undici's decompress handler, made around `handler` through the interceptor's own dispatch.
  const decompressing = (options: Dispatcher.DispatchOptions, handler: Handler): Handler => {
    let made: Handler = handler
    decompress((_options, wrapped) => {
      made = wrapped
      return true
    })(options, handler)
    return made
  }
  return (dispatch) => (options: NotedOptions, handler) =>
    dispatch(options, new DecodingHandler(handler, options, options[WIRE_NOTE], decompressing))
}

/** `fields` with the wire's encoding and length put back, where decoding took them off (fetch keeps both). */
export function withWireFields<F extends Readonly<Record<string, unknown>>>(fields: F, note: WireNote): F {
  if (note.encoding === undefined || fields['content-encoding'] !== undefined) return fields
  const length = note.length === undefined ? {} : { 'content-length': note.length }
  return { ...fields, 'content-encoding': note.encoding, ...length }
}

class DecodingHandler implements Handler {
  readonly #handler: Handler
  readonly #options: Dispatcher.DispatchOptions
  readonly #note: WireNote | undefined
  readonly #decompressing: (options: Dispatcher.DispatchOptions, handler: Handler) => Handler
  #context: unknown
  /** The decoders' handlers, made for an encoded response; the request's own handler otherwise. */
  #next: Handler

  constructor(
    handler: Handler,
    options: Dispatcher.DispatchOptions,
    note: WireNote | undefined,
    decompressing: (options: Dispatcher.DispatchOptions, handler: Handler) => Handler,
  ) {
    this.#handler = handler
    this.#next = handler
    this.#options = options
    this.#note = note
    this.#decompressing = decompressing
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#context = context
    this.#handler.onRequestStart?.(controller, context)
  }

  onRequestUpgrade(controller: Controller, status: number, headers: Fields, socket: never): void {
    this.#handler.onRequestUpgrade?.(controller, status, headers, socket)
  }

  onResponseStart(controller: Controller, status: number, headers: Fields, message: string): void {
    const encoding = joined(headers['content-encoding'])
    if (status >= 200 && this.#note) {
      this.#note.encoding = encoding
      this.#note.length = joined(headers['content-length'])
      this.#note.protocol = protocolOf(controller)
    }
    if (
      encoding !== undefined &&
      status >= 200 &&
      !NOT_DECODED.has(status) &&
      this.#options.method !== 'HEAD'
    ) {
      // The decoders start here: they are told of the request now, and hand the request's own
      // handler the controller that paces them (pausing holds back what is decoded too).
      this.#next = new InflatingHandler(this.#decompressing(this.#options, this.#handler))
      this.#next.onRequestStart?.(controller, this.#context)
    }
    this.#next.onResponseStart?.(controller, status, headers, message)
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.#note) this.#note.received += chunk.length
    this.#next.onResponseData?.(controller, chunk)
  }

  onResponseEnd(controller: Controller, trailers: Fields): void {
    this.#next.onResponseEnd?.(controller, trailers)
  }

  onResponseError(controller: Controller, error: Error): void {
    this.#next.onResponseError?.(controller, error)
  }
}

/**
 * undici hands its handlers the headers as they came: HTTP/1.1's parser gives a flat list of raw
 * names and values, its HTTP/2 session an object. Nothing else in the handler API says which
 * protocol carried the response; test/transport/protocols.test.ts holds this to real servers.
 */
function protocolOf(controller: Controller): HttpProtocol | undefined {
  const raw = (controller as { rawHeaders?: unknown }).rawHeaders
  if (Array.isArray(raw)) return 'http/1.1'
  return raw !== null && typeof raw === 'object' ? 'h2' : undefined
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}
