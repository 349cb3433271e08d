import fc from 'fast-check'
import { Agent } from 'undici'
import { describe, expect, it } from 'vitest'
import { AddressGuard, resolveAddressGuard } from '../../src/guard/address-guard.ts'
import { carriedIPv4, isPrivateAddress, parseAddress } from '../../src/guard/private-address.ts'
import { createClient } from '../../src/index.ts'
import { literalBlocked } from '../../src/transport/pin-address.ts'
import { undiciTransport } from '../../src/undici.ts'
import { scriptedFetch } from '../support/fake-fetch.ts'
import { startOrigin } from '../support/loopback-origin.ts'

/** The blocked IPv4 ranges, written out from the RFCs as the oracle (not the code's own table). */
const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // RFC 1122 "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // RFC 6598 CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // RFC 6890 protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
]

const toInt = (dotted: string) => dotted.split('.').reduce((sum, part) => sum * 256 + Number(part), 0)
const octets = (value: number) => [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]
const hex16 = (value: number) => (value & 0xffff).toString(16)

/** Every way to write an IPv4 address in a URL that the URL parser or IPv6 carries to that address. */
function spellings(value: number): string[] {
  const [a = 0, b = 0, c = 0, d = 0] = octets(value)
  const high = value >>> 16
  const low = value & 0xffff
  return [
    `${a}.${b}.${c}.${d}`,
    String(value), // decimal: http://2130706433/
    `0x${value.toString(16)}`, // hex
    `0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}`, // octal
    `0x${a.toString(16)}.0x${b.toString(16)}.0x${c.toString(16)}.0x${d.toString(16)}`,
    `${a}.${(b << 16) | (c << 8) | d}`, // short: 127.1
    `${a}.${b}.${(c << 8) | d}`,
    `[::ffff:${a}.${b}.${c}.${d}]`, // mapped, which URL parsing rewrites to ::ffff:7f00:1
    `[::ffff:${hex16(high)}:${hex16(low)}]`,
    `[::${a}.${b}.${c}.${d}]`, // IPv4-compatible
    `[::ffff:0:${a}.${b}.${c}.${d}]`, // RFC 6145
    `[64:ff9b::${a}.${b}.${c}.${d}]`, // NAT64
    `[64:ff9b:1::${a}.${b}.${c}.${d}]`, // NAT64, the local-use prefix with a /96
    `[2002:${hex16(high)}:${hex16(low)}::1]`, // 6to4
    `[2001:0:4136:e378:8000:63bf:${hex16(~high)}:${hex16(~low)}]`, // Teredo client
  ]
}

/** The spellings of an IPv4 address that carry it: ::0.0.0.0 and ::0.0.0.1 are IPv6's own :: and ::1. */
const carriers = (value: number) =>
  spellings(value).filter((spelling) => value > 1 || !spelling.startsWith('[::0.'))

const hostOf = (spelling: string) => new URL(`http://${spelling}/`).hostname

const blockedV4 = fc
  .constantFrom(...BLOCKED_V4)
  .chain(([network, bits]) =>
    fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((host) => (toInt(network) + host) >>> 0),
  )

// Ten thousand generated addresses a property, each in every spelling: seconds on a busy machine.
describe('the private-address table', { timeout: 60_000 }, () => {
  it.each([
    '127.0.0.1',
    '10.0.0.1',
    '169.254.169.254',
    '::1',
    '::',
    '[::1]',
    'fe80::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:7f00:3',
    '::7f00:1',
    '64:ff9b::a00:1',
    '64:ff9b:1::1',
    '2002:7f00:1::',
    '2001:db8::1',
  ])('%s is blocked', (address) => {
    expect(isPrivateAddress(address)).toBe(true)
  })

  it.each([
    '8.8.8.8',
    '172.32.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    'example.com',
  ])('%s is not', (address) => {
    expect(isPrivateAddress(address)).toBe(false)
  })

  it('blocks every address of every blocked IPv4 range in every spelling a URL accepts', () => {
    const guard = new AddressGuard()
    fc.assert(
      fc.property(blockedV4, (value) => {
        for (const spelling of spellings(value)) {
          expect(guard.blocksHost(hostOf(spelling)), spelling).toBe(true)
        }
      }),
      { numRuns: 10_000 },
    )
  })

  it('judges every IPv4 address alike in every spelling, and a public one passes in each', () => {
    const guard = new AddressGuard()
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (value) => {
        const [dotted, ...others] = spellings(value)
        const blocked = guard.blocksHost(hostOf(dotted as string))
        expect(blocked).toBe(
          BLOCKED_V4.some(([network, bits]) => value >>> (32 - bits) === toInt(network) >>> (32 - bits)) ||
            isPrivateAddress(dotted as string),
        )
        for (const spelling of others) expect(guard.blocksHost(hostOf(spelling)), spelling).toBe(blocked)
      }),
      { numRuns: 10_000 },
    )
  })

  it('blocks the IPv6 ranges that are not public unicast, and never throws on any text', () => {
    const guard = new AddressGuard()
    for (const spelling of ['[::1]', '[fe80::1]', '[fc00::1]', '[fdff::1]', '[ff0e::1]', '[::]']) {
      expect(guard.blocksHost(hostOf(spelling)), spelling).toBe(true)
    }
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), fc.string(), fc.domain()), (text) => {
        expect(typeof guard.blocksHost(text)).toBe('boolean')
        expect(typeof guard.blocksResolved('example.com', text)).toBe('boolean')
      }),
      { numRuns: 10_000 },
    )
  })

  it('blocks localhost and metadata names, in any case and with a trailing dot', () => {
    const guard = new AddressGuard()
    for (const name of ['localhost', 'LOCALHOST.', 'api.localhost', 'metadata.google.internal', 'metadata']) {
      expect(guard.blocksHost(name), name).toBe(true)
    }
    for (const name of ['localhost.example.com', 'metadata.example.com']) {
      expect(guard.blocksHost(name), name).toBe(false)
    }
  })
})

// Thousands of generated addresses a property, each in every spelling: seconds on a busy machine.
describe('allow and deny', { timeout: 60_000 }, () => {
  const guard = new AddressGuard({
    allow: ['10.1.0.0/16', 'billing.internal', '*.svc.cluster.local', 'fd00:1::/32'],
    deny: ['10.1.9.0/24', '93.184.0.0/16', 'evil.example'],
  })

  it('allow opens a private range or name; deny closes a public one and wins over allow', () => {
    expect(guard.blocksHost('10.1.2.3')).toBe(false)
    expect(guard.blocksHost(hostOf('[::ffff:10.1.2.3]'))).toBe(false)
    expect(guard.blocksHost('10.2.0.1')).toBe(true)
    expect(guard.blocksHost('10.1.9.1')).toBe(true)
    expect(guard.blocksHost('93.184.215.14')).toBe(true)
    expect(guard.blocksHost('evil.example')).toBe(true)
    expect(guard.blocksHost('[fd00:1::5]')).toBe(false)
    expect(guard.blocksResolved('billing.internal', '10.9.9.9')).toBe(false)
    expect(guard.blocksResolved('a.b.svc.cluster.local', '10.9.9.9')).toBe(false)
    expect(guard.blocksResolved('other.internal', '10.9.9.9')).toBe(true)
    expect(guard.blocksResolved('other.internal', '10.1.0.7')).toBe(false)
    expect(guard.blocksResolved('evil.example', '8.8.8.8')).toBe(true)
  })

  // The client's guard judges a URL's host before anything is sent; the transport's judges the
  // literal it is asked to dial. Both must read every spelling of an IPv4 address as that address.
  const verdicts = (list: AddressGuard, spelling: string) => {
    const host = hostOf(spelling)
    return [list.blocksHost(host), literalBlocked(host, [list])]
  }

  it('a deny entry closes, and an allow entry opens, every IPv6 spelling of its IPv4 address, on both guards', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (value) => {
        const dotted = octets(value).join('.')
        const deny = new AddressGuard({ deny: [dotted] })
        const allow = new AddressGuard({ allow: [dotted] })
        for (const spelling of carriers(value)) {
          expect(verdicts(deny, spelling), spelling).toEqual([true, true])
          expect(verdicts(allow, spelling), spelling).toEqual([false, false])
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it('a range in either list is judged against every IPv4 an IPv6 address carries', () => {
    fc.assert(
      fc.property(blockedV4, fc.constantFrom(...BLOCKED_V4), (value, [network, bits]) => {
        const allow = new AddressGuard({ allow: [`${network}/${bits}`] })
        const inside = value >>> (32 - bits) === toInt(network) >>> (32 - bits)
        for (const spelling of carriers(value)) {
          // Inside the allowed range it passes, whatever else the table says of it.
          if (inside) expect(verdicts(allow, spelling), spelling).toEqual([false, false])
          else expect(verdicts(allow, spelling), spelling).toEqual([true, true])
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it.each([
    '[64:ff9b::5db8:d822]',
    '[::5db8:d822]',
    '[2002:5db8:d822::]',
    '[::ffff:0:5db8:d822]',
    '[::ffff:5db8:d822]',
    '[64:ff9b:1::5db8:d822]',
  ])('deny: ["93.184.216.34"] refuses %s on both guards', (spelling) => {
    expect(verdicts(new AddressGuard({ deny: ['93.184.216.34'] }), spelling)).toEqual([true, true])
    expect(verdicts(new AddressGuard(), spelling)).toEqual([false, false])
  })

  it('reads a local-use NAT64 address at every prefix length its operator may use, and judges it by the worst', () => {
    // 127.0.0.1 written as a /48 prefix would hold it, with a public address in the last 32 bits.
    const hidden = parseAddress('64:ff9b:1:7f00:0:100:808:808')
    expect(carriedIPv4(hidden as never)?.map(String)).toContain('127.0.0.1')
    expect(new AddressGuard().blocksHost('[64:ff9b:1:7f00:0:100:808:808]')).toBe(true)
    expect(new AddressGuard({ allow: ['64:ff9b:1::/48'] }).blocksHost('[64:ff9b:1:7f00:0:100:808:808]')).toBe(
      false,
    )
  })

  it('a mistake in a list throws a TypeError naming the option', () => {
    expect(() => resolveAddressGuard({ allow: ['10.0.0.0/33'] })).toThrow(/"blockPrivateAddresses.allow"/)
    expect(() => resolveAddressGuard({ deny: 'evil.example' })).toThrow(/"blockPrivateAddresses.deny"/)
    expect(() => resolveAddressGuard({ allow: ['not a host!'] })).toThrow(/"blockPrivateAddresses.allow"/)
    expect(() => resolveAddressGuard('yes')).toThrow(/"blockPrivateAddresses"/)
    expect(() => createClient({ blockPrivateAddresses: 'yes' as never })).toThrow(/"blockPrivateAddresses"/)
    expect(() => undiciTransport({ blockPrivateAddresses: { allow: [1] as never } })).toThrow(
      /"blockPrivateAddresses.allow"/,
    )
  })
})

describe('blockPrivateAddresses on a client', () => {
  it('refuses a private address before sending anything', async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('inside') })
    const before = origin.connections()
    const result = await createClient({ blockPrivateAddresses: true }).get(`${origin.url}/`)
    expect(result).toMatchObject({
      kind: 'network-error',
      code: 'ERR_BLOCKED_ADDRESS',
      meta: { attempts: [] },
    })
    expect(result.meta.retryStop).toBeNull()
    expect(origin.connections()).toBe(before)
    expect((await createClient().get(`${origin.url}/`)).kind).toBe('success')
    await origin.stop()
  })

  it.each([
    'http://[::ffff:127.0.0.3]/',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data/',
    'http://[::7f00:3]/',
    'http://[64:ff9b::7f00:3]/',
    'http://[2002:7f00:3::1]/',
    'http://2130706435/',
    'http://0x7f.3/',
    'http://0177.0.0.03/',
  ])('refuses a redirect to %s (127.0.0.3 or inside), on both transports', async (location) => {
    const { fetch, requests } = scriptedFetch(
      () => new Response(null, { status: 302, headers: { location } }),
    )
    const result = await createClient({ fetch, blockPrivateAddresses: true, retry: false }).get(
      'http://user-supplied.test/',
    )
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
    expect(requests).toHaveLength(1)

    const origin = await startOrigin({
      '/': (_request, response) => response.writeHead(302, { location }).end(),
    })
    const transport = undiciTransport()
    // The origin itself is allowed; 127.0.0.3, in any spelling, is not.
    const allowOrigin = { allow: ['127.0.0.1'] }
    const viaUndici = await createClient({ transport, blockPrivateAddresses: allowOrigin, retry: false }).get(
      `${origin.url}/`,
    )
    expect(viaUndici).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
    expect(viaUndici.meta.attempts).toHaveLength(1)
    await transport.close()
    await origin.stop()
  })

  it('reaches an internal upstream it allows, and nothing else inside', async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('inside') })
    const client = createClient({ blockPrivateAddresses: { allow: ['127.0.0.1/32'] }, retry: false })
    expect((await client.get(`${origin.url}/`)).kind).toBe('success')
    const other = await client.get(`${origin.url.replace('127.0.0.1', '127.0.0.2')}/`)
    expect(other).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
    await origin.stop()
  })
})

describe('blockPrivateAddresses on the undici transport (what DNS gives)', () => {
  const port = async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('inside') })
    return { origin, port: new URL(origin.url).port }
  }

  it('refuses a name that resolves inside, on its own Agent and on a dispatcher of yours', async () => {
    const { origin, port: at } = await port()
    for (const transport of [
      undiciTransport({ blockPrivateAddresses: true }),
      undiciTransport({ dispatcher: new Agent(), blockPrivateAddresses: true }),
    ]) {
      // The client's own check is off: only the transport's, after DNS, stands in the way.
      const result = await createClient({ transport, retry: false }).get(`http://localhost:${at}/`)
      expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
      if (result.kind === 'network-error') expect(result.message).toMatch(/localhost \((127\.0\.0\.1|::1)\)/)
      await transport.close()
    }
    expect(origin.connections()).toBe(0)
    await origin.stop()
  })

  it("checks DNS answers for the client's own blockPrivateAddresses too, with no option on the transport", async () => {
    const { origin, port: at } = await port()
    const transport = undiciTransport()
    const seen: unknown[] = []
    const spy: typeof transport = Object.assign((request: Parameters<typeof transport>[0]) => {
      seen.push(request.addressGuard)
      return transport(request)
    }, transport)
    await createClient({ transport: spy, blockPrivateAddresses: true }).get('http://example.test/')
    expect(seen[0]).toBeInstanceOf(AddressGuard)
    // A name the host check lets through (a guard that allows it by name would skip DNS too), but
    // whose answer the client's guard refuses: only the transport's look at DNS can see it.
    const refuseLoopback = {
      blocksResolved: (_host: string, address: string) => /^(127\.|::1$)/.test(address),
    }
    const send = (url: string) =>
      transport({
        url: new URL(url),
        method: 'GET',
        headers: new Headers(),
        body: null,
        signal: new AbortController().signal,
        addressGuard: refuseLoopback,
      })
    await expect(send(`http://localhost:${at}/`)).rejects.toMatchObject({ code: 'ERR_BLOCKED_ADDRESS' })
    const allowed = await transport({
      url: new URL(`http://localhost:${at}/`),
      method: 'GET',
      headers: new Headers(),
      body: null,
      signal: new AbortController().signal,
    })
    expect(allowed.status).toBe(200)
    await allowed.body?.bytes()
    expect(origin.connections()).toBe(1)
    await transport.close()
    await origin.stop()
  })

  it('lets a name through that the allow list names, on a dispatcher of yours', async () => {
    const { origin, port: at } = await port()
    const transport = undiciTransport({
      dispatcher: new Agent(),
      blockPrivateAddresses: { allow: ['localhost'] },
    })
    const result = await createClient({ transport, retry: false }).get(`http://localhost:${at}/`, {
      responseType: 'text',
    })
    expect(result).toMatchObject({ kind: 'success', data: 'inside' })
    await transport.close()
    await origin.stop()
  })
})

describe("the undici transport's guard on address literals", () => {
  const inside = () => startOrigin({ '/': (_request, response) => response.end('inside') })

  it.each(['127.0.0.1', '2130706433', '0x7f.1', '0177.0.0.1', '[::ffff:127.0.0.1]'])(
    'refuses http://%s/ with nothing sent, the client unguarded',
    async (host) => {
      const origin = await inside()
      const port = new URL(origin.url).port
      const transport = undiciTransport({ blockPrivateAddresses: true })
      const result = await createClient({ transport, retry: false }).get(`http://${host}:${port}/`)
      expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
      expect(origin.connections()).toBe(0)
      await transport.close()
      await origin.stop()
    },
  )

  it('refuses a redirect to 127.0.0.2/latest/meta-data/ from an origin it allows', async () => {
    const target = await startOrigin({ '/latest/meta-data/': (_request, response) => response.end('secret') })
    const origin = await startOrigin({
      '/': (_request, response) =>
        response
          .writeHead(302, { location: `${target.url.replace('127.0.0.1', '127.0.0.2')}/latest/meta-data/` })
          .end(),
    })
    const transport = undiciTransport({ blockPrivateAddresses: { allow: ['127.0.0.1'] } })
    const result = await createClient({ transport, retry: false }).get(`${origin.url}/`)
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
    expect(result.meta.redirects).toHaveLength(1)
    expect(target.connections()).toBe(0)
    await transport.close()
    await Promise.all([origin.stop(), target.stop()])
  })

  it('refuses a literal through a proxy of yours without asking the proxy', async () => {
    const { ProxyAgent } = await import('undici')
    const proxy = await inside()
    const transport = undiciTransport({ dispatcher: new ProxyAgent(proxy.url), blockPrivateAddresses: true })
    const result = await createClient({ transport, retry: false }).get('http://127.0.0.1:9/latest/meta-data/')
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
    expect(proxy.connections()).toBe(0)
    await transport.close()
    await proxy.stop()
  })

  it('reaches an allowed IPv6 literal without looking it up, on both guards', async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('inside') }, '::1')
    const asked: string[] = []
    const lookup = ((hostname: string, _options: unknown, callback: (error: Error) => void) => {
      asked.push(hostname)
      callback(Object.assign(new Error(`not asked for ${hostname}`), { code: 'ENOTFOUND' }))
    }) as never
    for (const [transport, client] of [
      [undiciTransport({ lookup, blockPrivateAddresses: { allow: ['::1'] } }), {}],
      [undiciTransport({ lookup }), { blockPrivateAddresses: { allow: ['::1'] } }],
    ] as const) {
      const guarded = createClient({ transport, retry: false, ...client })
      expect(await guarded.get(`${origin.url}/`, { responseType: 'text' })).toMatchObject({
        kind: 'success',
        data: 'inside',
      })
      const other = await guarded.get(`${origin.url.replace('[::1]', '[::2]')}/`)
      expect(other).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
      await transport.close()
    }
    expect(asked).toEqual([])
    await origin.stop()
  })
})
