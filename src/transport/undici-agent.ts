/**
 * The dispatcher the undici transport sends through, made from its options: a keep-alive Agent,
 * or a proxy agent in its place; TLS for custom CAs and mTLS; a unix socket; HTTP/2; how names
 * are looked up. Each option checked here, with a TypeError that names it.
 */
import type { LookupFunction } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import type { Dispatcher } from 'undici'
import { checkBoolean, checkMilliseconds, checkObject, optionError } from '../ground/validate.ts'
import { redactUrlText } from '../guard/redact.ts'
import type { Undici } from './load-undici.ts'

/** TLS for the origins the transport reaches (through a proxy's tunnel too). */
export interface TlsOptions {
  /** Certificate authorities to trust in place of Node's bundled ones (PEM). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[] | undefined
  /** The client certificate, for mTLS (PEM). */
  readonly cert?: string | Buffer | readonly (string | Buffer)[] | undefined
  /** The client certificate's private key (PEM). */
  readonly key?: string | Buffer | readonly (string | Buffer)[] | undefined
  /** Unlocks `key`. */
  readonly passphrase?: string | undefined
  /** The name the server's certificate must carry (SNI), when it is not the URL's host. */
  readonly servername?: string | undefined
  /** `false` accepts any certificate: for a test upstream only. Default `true`. */
  readonly rejectUnauthorized?: boolean | undefined
}

/** A proxy given by URL, with what else the proxy needs. */
export interface ProxyOptions {
  /** `http://` or `https://`; `user:password@` in it is sent to the proxy alone, as Proxy-Authorization. */
  readonly url: string | URL
  /** A Proxy-Authorization value other than Basic from the URL (a Bearer token). */
  readonly token?: string | undefined
  /** TLS for an `https://` proxy itself (its CA, a client certificate). */
  readonly tls?: TlsOptions | undefined
}

/** undici's DNS cache (its dns interceptor): each answer kept for its TTL, at most `maxTTL`. */
export interface DnsCacheOptions {
  /** The longest an answer is kept, ms. Default 10 000 (undici's). */
  readonly maxTTL?: number | undefined
  /** The most names kept. Default unlimited (undici's). */
  readonly maxItems?: number | undefined
}

type AgentConstructor = NonNullable<ConstructorParameters<Undici['Agent']>[0]>
type ConnectOptions = Record<string, unknown>

/** What the dispatcher is made from: UndiciTransportOptions' pool and network fields. */
export interface AgentOptions {
  /** Connections per origin. Default: no limit. */
  readonly connections?: number | undefined
  /** Requests pipelined per connection. Default 1. */
  readonly pipelining?: number | undefined
  /** How long an idle connection is kept, in milliseconds. Default 4 000 (undici's). */
  readonly keepAliveTimeout?: number | undefined
  /** Most milliseconds to wait for a connection. Default 10 000 (undici's). */
  readonly connectTimeout?: number | undefined
  /**
   * Send every request through a proxy: its URL (`user:password@` in it goes to the proxy alone,
   * never to an origin), `{ url, token, tls }`, or `'env'` for `HTTP_PROXY`, `HTTPS_PROXY` and
   * `NO_PROXY` (either case). https origins are reached through a CONNECT tunnel, http ones by
   * asking the proxy for the absolute URL. Every hop and retry goes the same way.
   */
  readonly proxy?: string | URL | ProxyOptions | undefined
  /** TLS for https origins: a custom CA, a client certificate for mTLS, the expected name. */
  readonly tls?: TlsOptions | undefined
  /** Connect to this unix socket for every origin (a sidecar, the Docker daemon). */
  readonly socketPath?: string | undefined
  /** Offer HTTP/2 when a TLS origin supports it (ALPN). Default `true`, as undici 8's. */
  readonly http2?: boolean | undefined
  /** Keep DNS answers for their TTL (undici's dns interceptor): `true`, or `{ maxTTL, maxItems }`. Default off. */
  readonly dns?: boolean | DnsCacheOptions | undefined
  /** Resolve names with this function (dns.lookup's shape) in place of dns.lookup: connections, the DNS cache and the address guard alike. */
  readonly lookup?: LookupFunction | undefined
}

const AGENT_FIELDS = [
  'connections',
  'pipelining',
  'keepAliveTimeout',
  'connectTimeout',
  'proxy',
  'tls',
  'socketPath',
  'http2',
  'dns',
  'lookup',
] as const

/** Whether any option that makes the dispatcher is set: none may be beside a `dispatcher` of the caller's. */
export function setsAgent(options: AgentOptions): boolean {
  return AGENT_FIELDS.some((field) => options[field] !== undefined)
}

/**
 * What the Agent (or proxy agent) is made of, checked as the transport is made — each option with
 * a TypeError that names it — before undici, which loads on the first request, is there.
 */
export interface AgentSettings {
  readonly agent: Record<string, unknown>
  readonly connect: ConnectOptions
  readonly proxy: null | 'env' | ReturnType<typeof checkProxy>
}

export function agentSettings(options: AgentOptions): AgentSettings {
  const { connections, pipelining, keepAliveTimeout, connectTimeout, socketPath, http2, lookup } = options
  const tls = checkTls(options.tls, 'tls')
  if (lookup !== undefined && typeof lookup !== 'function')
    throw transportError('lookup', 'a function like dns.lookup', lookup)
  if (socketPath !== undefined && (typeof socketPath !== 'string' || socketPath === '')) {
    throw transportError('socketPath', 'a path to a unix socket', socketPath)
  }
  // undici's types ask for exact shapes of Node's options; these are Node's, checked above.
  const connect: ConnectOptions = {
    ...tls,
    ...(connectTimeout === undefined
      ? {}
      : { timeout: checkMilliseconds(connectTimeout, 'undiciTransport connectTimeout') }),
    ...(lookup === undefined ? {} : { lookup }),
  }
  const agent = {
    ...(connections === undefined ? {} : { connections: positive(connections, 'connections') }),
    ...(pipelining === undefined ? {} : { pipelining: positive(pipelining, 'pipelining') }),
    ...(keepAliveTimeout === undefined
      ? {}
      : { keepAliveTimeout: checkMilliseconds(keepAliveTimeout, 'undiciTransport keepAliveTimeout', 1) }),
    ...(http2 === undefined ? {} : { allowH2: checkBoolean(http2, 'undiciTransport http2') }),
    ...(socketPath === undefined ? {} : { socketPath }),
    connect,
  }
  const proxy = options.proxy
  if (proxy === undefined) return { agent, connect, proxy: null }
  if (socketPath !== undefined) {
    throw new TypeError('fetchkind: undiciTransport options "proxy" and "socketPath" cannot both be set')
  }
  return { agent, connect, proxy: proxy === 'env' ? 'env' : checkProxy(proxy) }
}

/** The Agent (or proxy agent) the settings describe. */
export function newDispatcher(undici: Undici, { agent, connect, proxy }: AgentSettings): Dispatcher {
  if (proxy === null) return new undici.Agent(agent as AgentConstructor)
  // Through the proxy, the origin's TLS is the tunnel's (requestTls); the proxy's own is proxyTls.
  const proxied = { ...agent, requestTls: connect }
  if (proxy === 'env') return new undici.EnvHttpProxyAgent(proxied as AgentConstructor)
  const { url, token, proxyTls } = proxy
  return new undici.ProxyAgent({
    ...(proxied as AgentConstructor),
    uri: url,
    ...(token ? { token } : {}),
    ...(proxyTls ? { proxyTls: proxyTls as ConnectOptions } : {}),
  })
}

/** The DNS cache's options, checked; `null` when it is off. */
export type DnsSettings = Parameters<Undici['interceptors']['dns']>[0] | null

export function dnsSettings({ dns, lookup }: Pick<AgentOptions, 'dns' | 'lookup'>): DnsSettings {
  if (dns === undefined || dns === false) return null
  if (dns !== true) checkObject(dns, 'undiciTransport dns')
  const { maxTTL, maxItems } = dns === true ? {} : dns
  return {
    ...(maxTTL === undefined ? {} : { maxTTL: checkMilliseconds(maxTTL, 'undiciTransport dns.maxTTL') }),
    ...(maxItems === undefined ? {} : { maxItems: positive(maxItems, 'dns.maxItems') }),
    ...(lookup === undefined ? {} : { lookup: cachedLookup(lookup) }),
  }
}

/** undici's dns interceptor for the settings. */
export function dnsCache(
  undici: Undici,
  settings: DnsSettings,
): Dispatcher.DispatcherComposeInterceptor | null {
  return settings === null ? null : undici.interceptors.dns(settings)
}

/** The caller's dns.lookup-shaped function as undici's DNS cache calls one. */
function cachedLookup(lookup: LookupFunction): DnsLookup {
  return (origin, _options, callback) => {
    lookup(origin.hostname, { all: true, order: 'ipv4first' }, (error, addresses) =>
      callback(error, (addresses ?? []) as unknown as Parameters<Parameters<DnsLookup>[2]>[1]),
    )
  }
}

type DnsLookup = NonNullable<NonNullable<Parameters<Undici['interceptors']['dns']>[0]>['lookup']>

function checkProxy(proxy: string | URL | ProxyOptions): {
  url: string
  token?: string
  proxyTls?: ConnectionOptions
} {
  const given = typeof proxy === 'string' || proxy instanceof URL ? { url: proxy } : proxy
  checkObject(given, 'undiciTransport proxy')
  const url = URL.parse(String(given.url))
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    // The URL as given, but with no password: this message goes to logs.
    throw transportError('proxy', "an http(s) URL or 'env'", redactUrlText(String(given.url)))
  }
  if (given.token !== undefined && (typeof given.token !== 'string' || /[\r\n\0]/.test(given.token))) {
    throw transportError('proxy.token', 'a header value', given.token)
  }
  const proxyTls = checkTls(given.tls, 'proxy.tls')
  return { url: url.href, ...(given.token ? { token: given.token } : {}), ...(proxyTls ? { proxyTls } : {}) }
}

const PEM_FIELDS = ['ca', 'cert', 'key'] as const

function checkTls(tls: TlsOptions | undefined, option: string): ConnectionOptions | undefined {
  if (tls === undefined) return undefined
  if (typeof tls !== 'object' || tls === null) throw transportError(option, 'an object', tls)
  for (const field of PEM_FIELDS) {
    const value = tls[field]
    const values = Array.isArray(value) ? value : [value]
    if (value !== undefined && !values.every((one) => typeof one === 'string' || Buffer.isBuffer(one))) {
      throw transportError(`${option}.${field}`, 'PEM text, a Buffer, or a list of them', value)
    }
  }
  if (tls.key !== undefined && tls.cert === undefined) {
    throw new TypeError(
      `fetchkind: option "undiciTransport ${option}.key" needs "undiciTransport ${option}.cert" beside it`,
    )
  }
  if (tls.passphrase !== undefined && typeof tls.passphrase !== 'string') {
    throw transportError(`${option}.passphrase`, 'a string', tls.passphrase)
  }
  if (tls.servername !== undefined && (typeof tls.servername !== 'string' || tls.servername === '')) {
    throw transportError(`${option}.servername`, 'a host name', tls.servername)
  }
  if (tls.rejectUnauthorized !== undefined)
    checkBoolean(tls.rejectUnauthorized, `undiciTransport ${option}.rejectUnauthorized`)
  // Node's own shape: lists mutable, only the fields given.
  const connection: ConnectionOptions = {}
  for (const field of PEM_FIELDS) {
    const value = tls[field]
    if (value !== undefined)
      connection[field] = Array.isArray(value) ? [...value] : (value as string | Buffer)
  }
  const { passphrase, servername, rejectUnauthorized } = tls
  return {
    ...connection,
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(servername === undefined ? {} : { servername }),
    ...(rejectUnauthorized === undefined ? {} : { rejectUnauthorized }),
  }
}

function positive(value: unknown, option: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw transportError(option, 'a whole number from 1', value)
  return value as number
}

function transportError(option: string, expected: string, got: unknown): TypeError {
  return optionError(`undiciTransport ${option}`, expected, got)
}
