/**
 * The SSRF guard (`blockPrivateAddresses`): which hosts and addresses a client may reach. The
 * client checks the host before anything is sent, on the first request and on every hop a server
 * chose (a redirect, the next page); the undici transport checks the same way every host it is
 * asked for — an address literal as it is, a name by every address DNS gives, so that a public
 * name that resolves inside (DNS rebinding) is refused as well.
 */
import ipaddr from 'ipaddr.js'
import { type NamesOf, optionError, show } from '../ground/validate.ts'
import { carriedIPv4, isPublic, parseAddress } from './private-address.ts'

/** Exceptions to the guard: CIDR ranges, single addresses or host names (`*.example` for any subdomain). */
export interface AddressGuardOptions {
  /** Reachable even though private: your own internal upstream (`'10.1.0.0/16'`, `'billing.internal'`). */
  readonly allow?: readonly string[] | undefined
  /** Refused even though public. Checked before `allow`. */
  readonly deny?: readonly string[] | undefined
}

/** Names that reach the machine itself or a cloud's metadata service without looking like it. */
const BLOCKED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata(\.google\.internal)?$/]

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

/** One list of exceptions, parsed once. */
class HostList {
  readonly #ranges: Range[] = []
  readonly #names = new Set<string>()
  readonly #suffixes: string[] = []

  constructor(entries: readonly string[], option: string) {
    if (!Array.isArray(entries))
      throw optionError(option, 'a list of CIDR ranges, addresses or host names', entries)
    for (const entry of entries) {
      if (typeof entry !== 'string' || entry.trim() === '') {
        throw optionError(option, 'a list of CIDR ranges, addresses or host names', entry)
      }
      const text = entry.trim().toLowerCase()
      const address = parseAddress(text)
      if (text.includes('/')) {
        try {
          this.#ranges.push(ipaddr.parseCIDR(text))
        } catch {
          throw optionError(option, 'a list of CIDR ranges, addresses or host names', entry)
        }
      } else if (address) {
        this.#ranges.push([address, address.kind() === 'ipv4' ? 32 : 128])
      } else if (text.startsWith('*.')) {
        this.#suffixes.push(normaliseName(text.slice(1)))
      } else if (/^[a-z0-9.-]+$/.test(text)) {
        this.#names.add(normaliseName(text))
      } else {
        throw new TypeError(
          `fetchkind: option "${option}" has ${show(entry)}, which is no CIDR range, address or host name`,
        )
      }
    }
  }

  hasName(name: string): boolean {
    return this.#names.has(name) || this.#suffixes.some((suffix) => name.endsWith(suffix))
  }

  hasAddress(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return this.#ranges.some(
      ([network, bits]) => address.kind() === network.kind() && address.match(network as never, bits),
    )
  }
}

export class AddressGuard {
  readonly #allow: HostList
  readonly #deny: HostList

  constructor(options: AddressGuardOptions = {}, option = 'blockPrivateAddresses') {
    this.#allow = new HostList(options.allow ?? [], `${option}.allow`)
    this.#deny = new HostList(options.deny ?? [], `${option}.deny`)
  }

  /** Whether a URL's host (`url.hostname`: an IPv6 literal in brackets) is refused before any lookup. */
  blocksHost(hostname: string): boolean {
    const address = parseAddress(hostname)
    if (address) return this.#blocks(address)
    const name = normaliseName(hostname)
    if (this.#deny.hasName(name)) return true
    if (this.#allow.hasName(name)) return false
    return BLOCKED_NAMES.some((pattern) => pattern.test(name))
  }

  /** Whether an address DNS gave for `hostname` is refused. A host allowed by name may resolve anywhere. */
  blocksResolved(hostname: string, address: string): boolean {
    const name = normaliseName(hostname)
    if (this.#deny.hasName(name)) return true
    if (this.#allow.hasName(name)) return false
    const parsed = parseAddress(address)
    return parsed === null || this.#blocks(parsed)
  }

  /**
   * An address is judged by every IPv4 address it carries as well as by itself (SECURITY.md): a
   * deny entry for an IPv4 address closes each IPv6 spelling of it; an allow entry opens an IPv6
   * address it names, or one whose every carried IPv4 it (or the public Internet) holds.
   */
  #blocks(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    const carried = carriedIPv4(address)
    if (this.#deny.hasAddress(address) || carried?.some((ipv4) => this.#deny.hasAddress(ipv4))) return true
    if (this.#allow.hasAddress(address)) return false
    if (!carried) return !isPublic(address)
    return carried.some((ipv4) => !isPublic(ipv4) && !this.#allow.hasAddress(ipv4))
  }
}

/** Checks the `blockPrivateAddresses` option: `false`, `true`, or `{ allow, deny }`. */
export function resolveAddressGuard(value: unknown, option = 'blockPrivateAddresses'): AddressGuard | null {
  if (value === undefined || value === false) return null
  if (value === true) return new AddressGuard({}, option)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError(option, 'a boolean or { allow, deny }', value)
  }
  return new AddressGuard(value as AddressGuardOptions, option)
}

/** Host names compare without case or a trailing dot (`LOCALHOST.` is localhost). */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '')
}

export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS'

  constructor(target: string) {
    super(
      `fetchkind: ${target} is a private, loopback, link-local or reserved address (or a name for one), and this client blocks them`,
    )
  }
}

/** The names `blockPrivateAddresses` takes. */
export const ADDRESS_GUARD_NAMES = { allow: true, deny: true } as const satisfies NamesOf<AddressGuardOptions>
