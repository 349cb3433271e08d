/**
 * The Node fast path: `undici.request` on a keep-alive Agent of its own. It skips the Fetch
 * standard's Request/Response machinery, which costs about twice the CPU per call (see
 * bench/), and gives the same results as the fetch transport: bodies encoded as fetch encodes
 * them, responses decompressed as fetch decompresses them.
 *
 * Node only. This transport never uses the process's global dispatcher, and leaves the one that
 * global fetch uses as it found it (load-undici.ts).
 */

import { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { type AddressGuardOptions, resolveAddressGuard } from '../guard/address-guard.ts'
import { headersFrom } from '../http/header-fields.ts'
import { hrefWithoutFragment } from '../http/href.ts'
import { NULL_BODY_STATUSES } from '../result/status.ts'
import { ACCEPT_ENCODING } from './default-headers.ts'
import { loadUndici, type Undici } from './load-undici.ts'
import { ADDRESS_CHECKS, pinCheckedAddress } from './pin-address.ts'
import { markExchange } from './resource-timing.ts'
import { BodyTooLargeError, concat } from './response-body.ts'
import type { ResolvedAddressCheck, ResponseBody, Transport, TransportRequest } from './types.ts'
import { noteWire, WIRE_NOTE, type WireNote, withWireHeaders } from './wire.ts'

export interface UndiciTransportOptions {
  /** Connections per origin. Default: no limit. */
  readonly connections?: number
  /** Requests pipelined per connection. Default 1. */
  readonly pipelining?: number
  /** How long an idle connection is kept, in milliseconds. Default 4 000 (undici's). */
  readonly keepAliveTimeout?: number
  /** Most milliseconds to wait for a connection. Default 10 000 (undici's). */
  readonly connectTimeout?: number
  /**
   * A dispatcher of your own (an Agent, a ProxyAgent, a Pool, a MockAgent); the options above are
   * then unused. Responses are still decompressed as fetch does, and the address guard still
   * checks what DNS gives: both are composed onto it.
   */
  readonly dispatcher?: Dispatcher
  /**
   * Refuse to connect to a private, loopback, link-local or reserved address, checked on every
   * address DNS gives — so that a public name resolving inside (DNS rebinding) is refused too —
   * for every client this transport serves. `{ allow, deny }` as for `createClient`, whose own
   * `blockPrivateAddresses` this transport checks DNS answers for as well. Default `false`.
   */
  readonly blockPrivateAddresses?: boolean | AddressGuardOptions
}

/** A transport for `createClient({ transport })`, with `close()` to end its connections. */
export interface UndiciTransport extends Transport {
  close(): Promise<void>
}

export function undiciTransport(options: UndiciTransportOptions = {}): UndiciTransport {
  const guard = resolveAddressGuard(options.blockPrivateAddresses)
  const undici = loadUndici()
  const own = withInterceptors(undici, options.dispatcher ?? newAgent(undici, options))
  // A request's own dispatcher (`dispatcher` on the call) gets the same interceptors, composed once.
  const composed = new WeakMap<Dispatcher, Interceptors>()
  const interceptorsFor = (dispatcher: Dispatcher): Interceptors => {
    let found = composed.get(dispatcher)
    if (!found) {
      found = withInterceptors(undici, dispatcher)
      composed.set(dispatcher, found)
    }
    return found
  }
  const transport = (async (sent: TransportRequest) => {
    const { plain, guarded } = sent.dispatcher ? interceptorsFor(sent.dispatcher) : own
    const headers: Record<string, string> = {}
    for (const [name, value] of sent.headers) headers[name] = value
    // Most requests have no body: no promise to wait on for one.
    const body = sent.body === null ? null : await encodeBody(sent.body, headers)
    // fetch always asks for what it can decode; so does this transport, even with the header removed.
    headers['accept-encoding'] ??= ACCEPT_ENCODING
    const checks = addressChecks(guard, sent.addressGuard)
    const wire: WireNote = { received: 0 }
    const start = performance.now()
    // The dispatcher's own request(), given the path as the URL has it: undici.request() parses the
    // URL again and drops a trailing '?', which fetch sends.
    const response = await (checks ? guarded : plain).request({
      origin: sent.url.origin,
      path: pathOf(sent.url),
      method: sent.method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: sent.signal,
      ...(sent.onInterim ? { onInfo: interimTo(sent.onInterim) } : {}),
      [ADDRESS_CHECKS]: checks,
      [WIRE_NOTE]: wire,
    } as Dispatcher.RequestOptions)
    const status = response.statusCode
    const ended = sent.resourceTiming ? timingMark(sent.url, status, start, wire) : noMark
    return {
      status,
      statusText: response.statusText ?? '',
      headers: withWireHeaders(headersFrom(response.headers), wire),
      body: hasNoBody(sent.method, status) ? noBody(response.body, ended) : undiciBody(response.body, ended),
    }
  }) as UndiciTransport
  transport.close = () => own.plain.close()
  return transport
}

/** A dispatcher as this transport sends through it: plain, and with the address guard. */
interface Interceptors {
  readonly plain: Dispatcher
  readonly guarded: Dispatcher
}

function withInterceptors(undici: Undici, dispatcher: Dispatcher): Interceptors {
  // fetch decompresses every response, error responses included; so does this transport, on a
  // dispatcher of the caller's too (one that decompresses already leaves no Content-Encoding).
  const plain = asDispatcher(undici, dispatcher).compose(
    noteWire(),
    undici.interceptors.decompress({ skipErrorResponses: false }),
  )
  return { plain, guarded: plain.compose(pinCheckedAddress()) }
}

interface DispatchOnly {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean
  close?(): unknown
}

/** fetch takes anything with dispatch() as its dispatcher; this transport too, made a Dispatcher. */
function asDispatcher(undici: Undici, target: DispatchOnly): Dispatcher {
  if (target instanceof undici.Dispatcher) return target
  const close = () => Promise.resolve(target.close?.()).then(() => {})
  return new (class extends undici.Dispatcher {
    override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      return target.dispatch(options, handler)
    }
    override close = close as Dispatcher['close']
    override destroy = close as Dispatcher['destroy']
  })()
}

/** The request target: the URL's path and query as serialised, without the fragment. */
function pathOf(url: URL): string {
  return hrefWithoutFragment(url).slice(url.origin.length)
}

/** The transport's own guard and the client's (`blockPrivateAddresses` on createClient), or `null` without either. */
function addressChecks(
  own: ResolvedAddressCheck | null,
  client: ResolvedAddressCheck | null | undefined,
): ResolvedAddressCheck[] | null {
  if (!own) return client ? [client] : null
  return client ? [own, client] : [own]
}

function newAgent({ Agent }: Undici, options: UndiciTransportOptions): Dispatcher {
  const { connections, pipelining, keepAliveTimeout, connectTimeout } = options
  return new Agent({
    ...(connections === undefined ? {} : { connections }),
    ...(pipelining === undefined ? {} : { pipelining }),
    ...(keepAliveTimeout === undefined ? {} : { keepAliveTimeout }),
    ...(connectTimeout === undefined ? {} : { connect: { timeout: connectTimeout } }),
  })
}

/**
 * A body as undici.request takes it, with the Content-Type fetch would have set: strings and
 * bytes as they are, anything else (URLSearchParams, FormData, Blob, a stream) through fetch's
 * own body extraction.
 */
async function encodeBody(
  body: BodyInit | null,
  headers: Record<string, string>,
): Promise<string | Uint8Array | Readable | null> {
  if (body === null) return null
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8'
    return body
  }
  if (body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  const extracted = new Response(body)
  const type = extracted.headers.get('content-type')
  if (type !== null) headers['content-type'] ??= type
  if (extracted.body === null) return null
  // A stream's length is unknown; everything else is small enough to send in one piece.
  if (body instanceof ReadableStream) return Readable.fromWeb(extracted.body as never)
  return new Uint8Array(await extracted.arrayBuffer())
}

/** undici's report of an interim response, as the transport's listener takes it. */
function interimTo(
  listener: (status: number, headers: Headers) => void,
): (info: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => void {
  return ({ statusCode, headers }) => listener(statusCode, headersFrom(headers))
}

/** Whether fetch would give this response a null body: a HEAD's, or a null body status's. */
function hasNoBody(method: string, status: number): boolean {
  return method === 'HEAD' || NULL_BODY_STATUSES.has(status)
}

/** `null`, as fetch gives, once undici's empty body is let go so that its connection is reused. */
function noBody(body: Dispatcher.ResponseData['body'], ended: (decoded: number) => void): null {
  body.on('error', () => {})
  body.resume()
  ended(0)
  return null
}

const noMark = (): void => {}

/** What marks the exchange's Resource Timing entry once its body is done with. */
function timingMark(url: URL, status: number, start: number, wire: WireNote): (decoded: number) => void {
  const exchange = { url, status, start, responseStart: performance.now() }
  return (decoded) => markExchange(exchange, wire.received, decoded)
}

/**
 * undici reads a whole body in one go; the web stream is made only for a caller who asks.
 * `ended` is told the bytes delivered once the body has been read to its end, or let go.
 */
function undiciBody(body: Dispatcher.ResponseData['body'], ended: (decoded: number) => void): ResponseBody {
  // A Node stream that errors with no listener throws out of the event loop and ends the
  // process; a body cancelled, or cut while nobody reads it, must only fail its reader.
  body.on('error', () => {})
  const bytes = async (limit?: number) => {
    const read = limit === undefined ? await body.bytes() : await readUpTo(body, limit)
    ended(read.byteLength)
    return read
  }
  return { bytes, stream: () => toWebStream(body, ended) }
}

/** The whole body, read as Node delivers it (no web stream); BodyTooLargeError past `limit` bytes. */
function readUpTo(body: Readable, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let length = 0
    body.on('data', (chunk: Buffer) => {
      length += chunk.byteLength
      // A plain Uint8Array over the Buffer's bytes, as the other transport and undici's bytes() give.
      if (length <= limit)
        return void chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      body.destroy()
      reject(new BodyTooLargeError(limit))
    })
    body.once('end', () => resolve(concat(chunks, length)))
    body.once('error', reject)
  })
}

/**
 * A web stream over undici's body, pulled chunk by chunk. Node's Readable.toWeb pushes instead,
 * and can throw "Controller is already closed" out of an event handler, crashing the process,
 * when a body is cancelled while data is still arriving.
 */
function toWebStream(body: Readable, ended: (decoded: number) => void): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  let delivered = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await chunks.next()
        if (done) {
          controller.close()
          ended(delivered)
          return
        }
        delivered += value.byteLength
        controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel(reason) {
      body.destroy(reason instanceof Error ? reason : undefined)
      await chunks.return?.()
      ended(delivered)
    },
  })
}
