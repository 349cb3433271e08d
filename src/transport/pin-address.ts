/**
 * The SSRF guard where names are resolved (undici transport): an interceptor that looks a
 * request's host up itself, refuses it if any address it gives is blocked, and sends the request
 * to the address it checked. Nothing resolves the name again after the check, so an answer that
 * changes in between (DNS rebinding) changes nothing; a rebinding answer that mixes public and
 * inside addresses is refused whole. It works on any dispatcher: the caller's proxy or mTLS
 * Agent included, whose connections are not ours to give a lookup.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import { isIP } from 'node:net'
import type { Dispatcher } from 'undici'
import { BlockedAddressError } from '../guard/address-guard.ts'
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
    const origin = options.origin === undefined ? null : new URL(String(options.origin))
    // An address literal was checked as the URL's host, before anything was sent.
    if (!checks?.length || !origin || isIP(origin.hostname) !== 0) return dispatch(options, handler)
    lookup(origin.hostname, { all: true, order: 'ipv4first' }, (error, found) => {
      const addresses = found as unknown as LookupAddress[] | undefined
      const refused = error ?? blockedAmong(origin.hostname, addresses ?? [], checks)
      const [first] = addresses ?? []
      if (refused || !first) {
        handler.onResponseError?.(null as never, refused ?? new Error(`no address for ${origin.hostname}`))
        return
      }
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
