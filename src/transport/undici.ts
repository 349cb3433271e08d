/**
 * The Node fast path: undici's dispatch on a keep-alive Agent of its own, read by fetchkind's own
 * handler (dispatch.ts). It skips the Fetch standard's Request/Response machinery, which costs
 * about twice the CPU per call, and undici.request's Node stream per body (see bench/), and gives
 * the same results as the fetch transport: bodies encoded as fetch encodes them, responses
 * decompressed as fetch decompresses them.
 *
 * Node only. This transport never uses the process's global dispatcher, and leaves the one that
 * global fetch uses as it found it (load-undici.ts).
 */

import type { LookupFunction } from 'node:net'
import { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { checkObject } from '../ground/validate.ts'
import { type AddressGuardOptions, resolveAddressGuard } from '../guard/address-guard.ts'
import type { BodyInit } from '../http/fetch-types.ts'
import { type FieldRecord, fieldHeaders, headersFrom } from '../http/field-headers.ts'
import { hrefWithoutFragment, originOf } from '../http/href.ts'
import { oncePerHeaders } from '../http/per-headers.ts'
import { NULL_BODY_STATUSES } from '../result/status.ts'
import { ABORT_SOURCE, type AbortSource, listeningToAttempts } from './abort-source.ts'
import { decodingAsFetch, WIRE_NOTE, type WireNote, withWireFields } from './decoding.ts'
import { ACCEPT_ENCODING } from './default-headers.ts'
import { type DispatchedResponse, type DispatchListeners, dispatch } from './dispatch.ts'
import { loadUndici, nodeTooOld, type Undici } from './load-undici.ts'
import { ADDRESS_CHECKS, pinCheckedAddress } from './pin-address.ts'
import { markExchange } from './resource-timing.ts'
import type { ResolvedAddressCheck, Transport, TransportRequest, TransportResponse } from './types.ts'
import {
  type AgentOptions,
  type AgentSettings,
  agentSettings,
  type DnsSettings,
  dnsCache,
  dnsSettings,
  newDispatcher,
  setsAgent,
} from './undici-agent.ts'

/** The pool, the network options of undici-agent.ts, or a dispatcher of your own; and the address guard. */
export interface UndiciTransportOptions extends AgentOptions {
  /**
   * A dispatcher of your own (an Agent, a ProxyAgent, a Pool, a MockAgent), in place of every
   * pool and network option (AgentOptions), none of which can be set beside it. Responses are still decompressed as fetch does,
   * and the address guard still checks what DNS gives: both are composed onto it.
   */
  readonly dispatcher?: Dispatcher | undefined
  /**
   * Refuse to connect to a private, loopback, link-local or reserved address — an address
   * literal in any spelling, and every address DNS gives for a name, so that a public name
   * resolving inside (DNS rebinding) is refused too — for every client this transport serves. `{ allow, deny }` as for `createClient`, whose own
   * `blockPrivateAddresses` this transport checks DNS answers for as well. Default `false`.
   * Behind a proxy the name is resolved and checked here, and the proxy is asked for the checked
   * address.
   */
  readonly blockPrivateAddresses?: boolean | AddressGuardOptions | undefined
}

/** A transport for `createClient({ transport })`, with `close()` to end its connections. */
export interface UndiciTransport extends Transport {
  close(): Promise<void>
}

export function undiciTransport(options: UndiciTransportOptions = {}): UndiciTransport {
  checkObject(options, 'undiciTransport options')
  const guard = resolveAddressGuard(options.blockPrivateAddresses)
  if (options.dispatcher !== undefined && setsAgent(options)) {
    throw new TypeError(
      'fetchkind: undiciTransport option "dispatcher" replaces the options that make one; set it alone',
    )
  }
  const settings = { agent: options.dispatcher ?? agentSettings(options), dns: dnsSettings(options) }
  const tooOld = nodeTooOld()
  if (tooOld) throw tooOld
  // undici loads as the transport is made; a call waits for it only if it has not yet loaded,
  // and rejects with the TransportUnavailableError if it could not.
  let built: Dispatchers | undefined
  const building = loadUndici().then((undici) => {
    built = dispatchers(undici, settings, options.lookup)
    return built
  })
  building.catch(() => {})
  /** The request's headers as undici takes them, with the body's and fetch's additions. */
  const send = async (sent: TransportRequest, ready: Dispatchers): Promise<TransportResponse> => {
    const headers = { ...fieldsOf(sent.headers) }
    const body = await encodeBody(sent.body, headers)
    return exchange(sent, ready, headers, body)
  }
  const exchange = (
    sent: TransportRequest,
    { own, interceptorsFor }: Dispatchers,
    headers: Readonly<Record<string, string>>,
    body: string | Uint8Array | Readable | null,
  ): Promise<TransportResponse> => {
    const { plain, guarded } = sent.dispatcher ? interceptorsFor(sent.dispatcher) : own
    const checks = addressChecks(guard, sent.addressGuard)
    const wire: WireNote = { received: 0 }
    const timing = sent.resourceTiming ? new TimingMark(sent.url, wire) : null
    const { url, method } = sent
    const origin = originOf(url)
    return dispatch(
      checks ? guarded : plain,
      // The path as the URL has it: undici.request() parses the URL again and drops a trailing
      // '?', which fetch sends.
      new ExchangeOptions(
        origin,
        hrefWithoutFragment(url).slice(origin.length),
        method,
        headers,
        body,
        checks,
        wire,
      ),
      (sent as { readonly [ABORT_SOURCE]?: AbortSource })[ABORT_SOURCE] ?? sent.signal,
      sent.onInterim || timing
        ? { onInterim: sent.onInterim && interimTo(sent.onInterim), onDone: timing?.ended }
        : NO_LISTENERS,
      (response) => transportResponse(response, method, wire, timing),
    )
  }
  const transport = ((sent: TransportRequest) => {
    // Most requests have no body, and undici has loaded: nothing to wait for before sending.
    if (built && sent.body === null) return exchange(sent, built, fieldsOf(sent.headers), null)
    return building.then((ready) => send(sent, ready))
  }) as UndiciTransport
  listeningToAttempts(transport)
  transport.close = async () => {
    const made = await building.catch(() => null)
    await made?.own.plain.close()
  }
  return transport
}

const NO_LISTENERS: DispatchListeners = {}

/**
 * One exchange's dispatch options, with the notes for this transport's interceptors under their
 * symbols: a class, so that every request's has one shape (an object literal with computed keys
 * is built key by key, each call).
 */
class ExchangeOptions {
  readonly origin: string
  readonly path: string
  readonly method: Dispatcher.HttpMethod
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array | Readable | null
  readonly [ADDRESS_CHECKS]: ResolvedAddressCheck[] | null
  readonly [WIRE_NOTE]: WireNote

  constructor(
    origin: string,
    path: string,
    method: string,
    headers: Readonly<Record<string, string>>,
    body: string | Uint8Array | Readable | null,
    checks: ResolvedAddressCheck[] | null,
    wire: WireNote,
  ) {
    this.origin = origin
    this.path = path
    this.method = method as Dispatcher.HttpMethod
    this.headers = headers
    this.body = body
    this[ADDRESS_CHECKS] = checks
    this[WIRE_NOTE] = wire
  }
}

/** The response head as the transport gives it, made as it arrives. */
function transportResponse(
  response: DispatchedResponse,
  method: string,
  wire: WireNote,
  timing: TimingMark | null,
): TransportResponse {
  const { status } = response
  timing?.responded(status)
  // fetch gives a HEAD's and a null body status's body as null; undici's empty one is let go.
  const nullBody = method === 'HEAD' || NULL_BODY_STATUSES.has(status)
  if (nullBody) response.body.discard()
  return {
    status,
    statusText: response.statusText,
    // Read in place until someone needs a copy: most callers ask for a field or two.
    headers: fieldHeaders(withWireFields(response.headers, wire)),
    body: nullBody ? null : response.body,
    protocol: wire.protocol,
  }
}

/** The transport's own dispatcher, and a request's own (`dispatcher` on the call), composed. */
interface Dispatchers {
  readonly own: Interceptors
  readonly interceptorsFor: (dispatcher: Dispatcher) => Interceptors
}

function dispatchers(
  undici: Undici,
  settings: { readonly agent: Dispatcher | AgentSettings; readonly dns: DnsSettings },
  lookup: LookupFunction | undefined,
): Dispatchers {
  const { agent, dns } = settings
  const dispatcher = 'dispatch' in agent ? agent : newDispatcher(undici, agent)
  const own = withInterceptors(undici, dispatcher, dnsCache(undici, dns), lookup)
  // A request's own dispatcher gets the same interceptors, composed once.
  const composed = new WeakMap<Dispatcher, Interceptors>()
  const interceptorsFor = (dispatcher: Dispatcher): Interceptors => {
    let found = composed.get(dispatcher)
    if (!found) {
      found = withInterceptors(undici, dispatcher)
      composed.set(dispatcher, found)
    }
    return found
  }
  return { own, interceptorsFor }
}

/** A dispatcher as this transport sends through it: plain, and with the address guard. */
interface Interceptors {
  readonly plain: Dispatcher
  readonly guarded: Dispatcher
}

function withInterceptors(
  undici: Undici,
  dispatcher: Dispatcher,
  dns: Dispatcher.DispatcherComposeInterceptor | null = null,
  lookup?: LookupFunction,
): Interceptors {
  // fetch decompresses every response, error responses included; so does this transport, on a
  // dispatcher of the caller's too (one that decompresses already leaves no Content-Encoding).
  // The DNS cache sits next to the connection, beneath it.
  const plain = asDispatcher(undici, dispatcher).compose(...(dns ? [dns] : []), decodingAsFetch(undici))
  return { plain, guarded: plain.compose(pinCheckedAddress(lookup)) }
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

/** The transport's own guard and the client's (`blockPrivateAddresses` on createClient), or `null` without either. */
function addressChecks(
  own: ResolvedAddressCheck | null,
  client: ResolvedAddressCheck | null | undefined,
): ResolvedAddressCheck[] | null {
  if (!own) return client ? [client] : null
  return client ? [own, client] : [own]
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
): (status: number, headers: FieldRecord) => void {
  return (status, headers) => listener(status, headersFrom(headers))
}

/** The exchange's Resource Timing entry, marked once its body is done with. */
class TimingMark {
  readonly #url: URL
  readonly #wire: WireNote
  readonly #start = performance.now()
  #status = 0
  #responseStart = 0

  constructor(url: URL, wire: WireNote) {
    this.#url = url
    this.#wire = wire
  }

  responded(status: number): void {
    this.#status = status
    this.#responseStart = performance.now()
  }

  readonly ended = (decoded: number): void => {
    const exchange = {
      url: this.#url,
      status: this.#status,
      start: this.#start,
      responseStart: this.#responseStart,
    }
    markExchange(exchange, this.#wire.received, decoded)
  }
}

/**
 * A request's headers as undici takes them, with the Accept-Encoding fetch always sends (even with
 * the header removed: it asks for what it can decode), made once per Headers object.
 */
const fieldsOf = oncePerHeaders((headers): Readonly<Record<string, string>> => {
  const fields: Record<string, string> = {}
  for (const [name, value] of headers) fields[name] = value
  fields['accept-encoding'] ??= ACCEPT_ENCODING
  return fields
})
