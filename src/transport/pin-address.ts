/**
 * The SSRF guard where names are resolved (undici transport): an interceptor that judges an
 * address literal as it is and looks a name up itself, refuses it if any address it gives is
 * blocked, and sends the request to the address it checked. Nothing resolves the name again
 * after the check, so an answer that changes in between (DNS rebinding) changes nothing; a
 * rebinding answer that mixes public and inside addresses is refused whole. It works on any dispatcher: the caller's proxy or mTLS
 * Agent included, whose connections are not ours to give a lookup.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import type { Dispatcher } from 'undici'
import { BlockedAddressError } from '../guard/address-guard.ts'
import { parseAddress } from '../guard/private-address.ts'
import type { ResolvedAddressCheck } from './types.ts'

/** The dispatch option that carries a request's checks down to the interceptor. */
export const ADDRESS_CHECKS = Symbol('fetchkind.addressChecks')

type CheckedOptions = Dispatcher.DispatchOptions & { [ADDRESS_CHECKS]?: readonly ResolvedAddressCheck[] }

/** `lookup` resolves names as the transport's connections would (its `lookup` option), dns.lookup by default. */
export function pinCheckedAddress(
  lookup: LookupFunction = dnsLookup as LookupFunction,
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options: CheckedOptions, handler) => {
    const checks = options[ADDRESS_CHECKS]
    if (!checks?.length || options.origin === undefined) return dispatch(options, handler)
    const origin = new URL(String(options.origin))
    const refuse = (error: Error) => {
      // Never inside dispatch() itself: the caller is still setting the request up.
      queueMicrotask(() => handler.onResponseError?.(null as never, error))
      return true
    }
    const literal = literalBlocked(origin.hostname, checks)
    if (literal !== null) {
      return literal ? refuse(new BlockedAddressError(origin.hostname)) : dispatch(options, handler)
    }
    lookup(origin.hostname, { all: true, order: 'ipv4first' }, (error, found) => {
      const addresses = found as unknown as LookupAddress[] | undefined
      const refused = error ?? blockedAmong(origin.hostname, addresses ?? [], checks)
      const [first] = addresses ?? []
      if (refused || !first) return void refuse(refused ?? new Error(`no address for ${origin.hostname}`))
      const host = first.family === 6 ? `[${first.address}]` : first.address
      const pinned = {
        ...options,
        origin: `${origin.protocol}//${host}${origin.port ? `:${origin.port}` : ''}`,
        // The server is still asked for the name: TLS checks its certificate against it.
        servername: origin.hostname,
        headers: { ...(options.headers as Record<string, string>), host: origin.host },
      }
      dispatch(pinned as Dispatcher.DispatchOptions, handler)
    })
    return true
  }
}

/**
 * Whether a host that is an address literal (`127.0.0.1`, `[::1]`) is refused, judged as the
 * address it is; `null` for a name. A literal is never looked up: DNS (or a caller's `lookup`)
 * asked for `[::1]` would decide where the request goes.
 */
export function literalBlocked(hostname: string, checks: readonly ResolvedAddressCheck[]): boolean | null {
  const literal = parseAddress(hostname)
  if (literal === null) return null
  return checks.some((check) => check.blocksResolved(hostname, literal.toString()))
}

function blockedAmong(
  hostname: string,
  addresses: readonly LookupAddress[],
  checks: readonly ResolvedAddressCheck[],
): BlockedAddressError | null {
  for (const { address } of addresses) {
    if (checks.some((check) => check.blocksResolved(hostname, address))) {
      return new BlockedAddressError(`${hostname} (${address})`)
    }
  }
  return null
}
