/**
 * The addresses a service that fetches user-supplied URLs must not be led to (SSRF): loopback,
 * private, link-local (where cloud metadata lives), carrier-grade NAT, multicast and reserved.
 */
import { isIP } from 'node:net'

const V4_BLOCKED: readonly (readonly [number, number])[] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local, cloud metadata (169.254.169.254)
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24 protocol assignments
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved, and the broadcast address
]

/** Names that reach the machine itself or a cloud's metadata service without looking like it. */
const BLOCKED_NAMES = [/^localhost\.?$/i, /\.localhost\.?$/i, /^metadata(\.google\.internal)?\.?$/i]

/** Whether `address`, an IPv4 or IPv6 literal, is one a guarded client must not reach. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  const version = isIP(bare)
  if (version === 4) return isPrivateV4(bare)
  if (version === 6) return isPrivateV6(bare)
  return false
}

/** Whether a URL's host is blocked before any lookup: a private address literal, or a local name. */
export function isPrivateHost(hostname: string): boolean {
  return isPrivateAddress(hostname) || BLOCKED_NAMES.some((name) => name.test(hostname))
}

function isPrivateV4(address: string): boolean {
  const value = address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0)
  return V4_BLOCKED.some(
    ([network, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(network / 2 ** (32 - bits)),
  )
}

function isPrivateV6(address: string): boolean {
  const lower = address.toLowerCase()
  // An IPv4 address mapped or embedded in IPv6 is judged as the IPv4 address it carries.
  const embedded = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1]
  if (embedded) return isPrivateV4(embedded)
  const groups = expand(lower)
  if (
    groups.every((group) => group === 0) ||
    (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1)
  ) {
    return true // :: and ::1
  }
  const first = groups[0] ?? 0
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local (AWS's fd00:ec2::254 metadata too)
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xff00) === 0xff00 // ff00::/8 multicast
  )
}

/** An IPv6 address (no IPv4 tail) as its eight 16-bit groups. */
function expand(address: string): number[] {
  const [head = '', tail] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail === undefined ? [] : tail ? tail.split(':') : []
  const missing = 8 - left.length - right.length
  return [...left, ...Array(tail === undefined ? 0 : missing).fill('0'), ...right].map((group) =>
    Number.parseInt(group, 16),
  )
}

export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS'

  constructor(target: string) {
    super(`fetchkind: ${target} is a private, loopback or link-local address, and this client blocks them`)
  }
}
