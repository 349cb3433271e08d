/**
 * Which IP addresses a service that fetches user-supplied URLs must not be led to (SSRF):
 * loopback, private, link-local (where cloud metadata lives), carrier-grade NAT, multicast,
 * reserved and documentation ranges — on ipaddr.js's table of special ranges, not our arithmetic.
 * An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged
 * by the IPv4 address it carries, so that no spelling of 127.0.0.1 gets through.
 */
import ipaddr from 'ipaddr.js'

type Address = ipaddr.IPv4 | ipaddr.IPv6

/** The only ranges a guarded client may reach: ordinary public unicast. */
const PUBLIC = 'unicast'

/** An IP literal (IPv6 with or without brackets) as ipaddr.js reads it, or `null` for anything else. */
export function parseAddress(text: string): Address | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  // ipaddr.isValid also takes '0x7f.1' and '2130706433': URL parsing has already turned those
  // into dotted quads, and anything else that reaches here is a name, not an address.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return null
  return ipaddr.parse(bare)
}

/** Whether `address` (an IP literal) is one a guarded client must not reach. */
export function isPrivateAddress(address: string): boolean {
  const parsed = parseAddress(address)
  return parsed !== null && isPrivate(parsed)
}

export function isPrivate(address: Address): boolean {
  const carried = carriedIPv4(address)
  return carried ? carried.some((ipv4) => !isPublic(ipv4)) : !isPublic(address)
}

/** Whether `address`, taken as it is (not by any IPv4 it carries), is ordinary public unicast. */
export function isPublic(address: Address): boolean {
  return address.range() === PUBLIC
}

/**
 * The IPv4 addresses an address carries, or `null` when it carries none (an IPv4 address carries
 * none: it is itself): RFC 4291's mapped (::ffff:a.b.c.d) and compatible (::a.b.c.d) forms, RFC
 * 6145's translated form, RFC 6052's well-known NAT64 prefix, RFC 3056's 6to4 and RFC 4380's
 * Teredo (its server, and its client, stored inverted). An address under the local-use NAT64
 * prefix (RFC 8215, 64:ff9b:1::/48) carries its IPv4 where its operator's prefix length puts it
 * (RFC 6052 §2.2: /48, /56, /64 or /96), which this side of the network cannot know: it carries
 * each of them, and a guard judges it by the worst, unless bits 48–95 are zero, where only the
 * /96 reading is an address at all.
 */
export function carriedIPv4(address: Address): ipaddr.IPv4[] | null {
  if (address.kind() === 'ipv4') return null
  const bytes = address.toByteArray()
  const ipv4 = (...at: number[]) => new ipaddr.IPv4(at.map((index) => bytes[index] ?? 0))
  const tail = () => ipv4(12, 13, 14, 15)
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return [tail()]
    case 'rfc6052':
      if (bytes[4] === 0 && bytes[5] === 0) return [tail()]
      if (bytes.slice(6, 12).every((byte) => byte === 0)) return [tail()]
      return [ipv4(6, 7, 9, 10), ipv4(7, 9, 10, 11), ipv4(9, 10, 11, 12), tail()]
    case '6to4':
      return [ipv4(2, 3, 4, 5)]
    case 'teredo':
      return [ipv4(4, 5, 6, 7), new ipaddr.IPv4(bytes.slice(12, 16).map((byte) => ~byte & 0xff))]
    case 'unspecified':
    case 'loopback':
      return null
    default:
      // RFC 4291 §2.5.5.1: the deprecated IPv4-compatible form, ::a.b.c.d.
      return bytes.slice(0, 12).every((byte) => byte === 0) ? [tail()] : null
  }
}
