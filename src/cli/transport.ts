/** The transport the command line's network flags ask for. */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'
import { fetchTransport } from '../transport/fetch.ts'
import type { Transport } from '../transport/types.ts'
import { undiciTransport } from '../transport/undici.ts'
import type { TransportSpec } from './args.ts'
import { readNamed } from './body.ts'

/**
 * The transport the flags ask for; `undefined` for the client's default. With none asked for, a
 * call over plain HTTP goes through Node's own fetch, which its binary holds ready, where the
 * undici transport would first load undici from disk — most of a one-shot command's time, for
 * the same request and answer. Over TLS the undici transport stays, for its offer of HTTP/2.
 */
export async function transportOf(spec: TransportSpec, url: string): Promise<Transport | undefined> {
  if (spec.kind === 'fetch') return fetchTransport()
  const read = (path: string | undefined, flag: string) =>
    path === undefined ? undefined : readNamed(path, `${flag} ${path}`)
  const [ca, cert, key] = await Promise.all([
    read(spec.caFile, '--cacert'),
    read(spec.certFile, '--cert'),
    read(spec.keyFile, '--key'),
  ])
  const tls = {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(spec.insecure ? { rejectUnauthorized: false } : {}),
  }
  const options = {
    ...(spec.connectTimeout === undefined ? {} : { connectTimeout: spec.connectTimeout }),
    ...(spec.proxy === undefined ? {} : { proxy: spec.proxy }),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
    ...(spec.http2 === undefined ? {} : { http2: spec.http2 }),
    ...(spec.socketPath === undefined ? {} : { socketPath: spec.socketPath }),
    ...(spec.resolve === undefined ? {} : { lookup: resolving(spec.resolve) }),
  }
  if (spec.kind === 'default' && Object.keys(options).length === 0) {
    return url.startsWith('http:') ? fetchTransport() : undefined
  }
  return undiciTransport(options)
}

/**
 * A `dns.lookup` that sends each name `resolve` lists where it says — an address as it is, a
 * name through DNS — and every other name through DNS: curl's `--resolve` and `--connect-to`.
 */
function resolving(resolve: Readonly<Record<string, string>>): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    const target = resolve[hostname] ?? hostname
    const family = isIP(target)
    if (family === 0) return dnsLookup(target, options as LookupAllOptions, callback as never)
    const address: LookupAddress = { address: target, family }
    if (options.all) callback(null, [address])
    else callback(null, address.address, address.family)
  }) as LookupFunction
}
