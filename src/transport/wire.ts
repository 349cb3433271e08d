/**
 * What a response was on the wire, before undici's decompress interceptor decoded it. That
 * interceptor takes `Content-Encoding` and `Content-Length` off; fetch decodes and keeps both, as
 * they describe the bytes on the wire. This interceptor, composed beneath it, notes them for the
 * transport to put back, and counts the bytes that arrived (Resource Timing's encodedBodySize).
 */
import type { Dispatcher } from 'undici'
import type { FieldRecord } from '../http/field-headers.ts'
import type { HttpProtocol } from '../result/types.ts'

/** The dispatch option that carries a request's note down to the interceptor. */
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

export function noteWire(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options: NotedOptions, handler) => {
    const note = options[WIRE_NOTE]
    return dispatch(options, note ? new NotingHandler(handler, note) : handler)
  }
}

/** `fields` with the wire's encoding and length put back, where decoding took them off. */
export function withWireFields(fields: FieldRecord, note: WireNote): FieldRecord {
  if (note.encoding === undefined || fields['content-encoding'] !== undefined) return fields
  const length = note.length === undefined ? {} : { 'content-length': note.length }
  return { ...fields, 'content-encoding': note.encoding, ...length }
}

/** Passes everything on; notes the final response's two headers and its body's size on the way. */
class NotingHandler implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler
  readonly #note: WireNote

  constructor(handler: Dispatcher.DispatchHandler, note: WireNote) {
    this.#handler = handler
    this.#note = note
  }

  onRequestStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestStart']>>): void {
    this.#handler.onRequestStart?.(...args)
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.#handler.onRequestUpgrade?.(...args)
  }

  onResponseStart(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseStart']>>): void {
    const [controller, status, headers] = args
    if (status >= 200) {
      this.#note.encoding = joined(headers['content-encoding'])
      this.#note.length = joined(headers['content-length'])
      this.#note.protocol = protocolOf(controller)
    }
    this.#handler.onResponseStart?.(...args)
  }

  onResponseData(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseData']>>): void {
    this.#note.received += args[1].length
    this.#handler.onResponseData?.(...args)
  }

  onResponseEnd(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseEnd']>>): void {
    this.#handler.onResponseEnd?.(...args)
  }

  onResponseError(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onResponseError']>>): void {
    this.#handler.onResponseError?.(...args)
  }
}

/**
 * undici hands its handlers the headers as they came: HTTP/1.1's parser gives a flat list of raw
 * names and values, its HTTP/2 session an object. Nothing else in the handler API says which
 * protocol carried the response; test/transport/protocols.test.ts holds this to real servers.
 */
function protocolOf(controller: Dispatcher.DispatchController): HttpProtocol | undefined {
  const raw = (controller as { rawHeaders?: unknown }).rawHeaders
  if (Array.isArray(raw)) return 'http/1.1'
  return raw !== null && typeof raw === 'object' ? 'h2' : undefined
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}
