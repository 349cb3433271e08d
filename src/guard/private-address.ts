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
  if (address.kind() === 'ipv4') return address.range() !== PUBLIC
  const carried = carriedIPv4(address as ipaddr.IPv6)
  if (carried !== null) return carried.some((ipv4) => ipv4.range() !== PUBLIC)
  return address.range() !== PUBLIC
}

/**
 * The IPv4 addresses an IPv6 address carries, or `null` when it carries none: RFC 4291's mapped
 * (::ffff:a.b.c.d) and compatible (::a.b.c.d) forms, RFC 6145's translated form, RFC 6052's
 * well-known NAT64 prefix, RFC 3056's 6to4 and RFC 4380's Teredo (its server, and its client,
 * stored inverted). A local-use NAT64 prefix (64:ff9b:1::/48) may put the IPv4 anywhere, so it
 * carries 0.0.0.0 here, which is blocked.
 */
function carriedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | null {
  const parts = address.parts
  const ipv4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff])
  const tail = () => ipv4(parts[6] ?? 0, parts[7] ?? 0)
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return [tail()]
    case 'rfc6052':
      return parts[2] === 0 ? [tail()] : [ipv4(0, 0)]
    case '6to4':
      return [ipv4(parts[1] ?? 0, parts[2] ?? 0)]
    case 'teredo':
      return [ipv4(parts[2] ?? 0, parts[3] ?? 0), ipv4(~(parts[6] ?? 0) & 0xffff, ~(parts[7] ?? 0) & 0xffff)]
    case 'unspecified':
    case 'loopback':
      return null
    default:
      // RFC 4291 §2.5.5.1: the deprecated IPv4-compatible form, ::a.b.c.d.
      return parts.slice(0, 6).every((part) => part === 0) ? [tail()] : null
  }
}
