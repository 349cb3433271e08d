import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createClient } from '../src/index.ts'
import { isPrivateAddress, isPrivateHost } from '../src/private-address.ts'
import { undiciTransport } from '../src/undici.ts'
import { scriptedFetch } from './support/fake-fetch.ts'
import { startOrigin } from './support/loopback-origin.ts'

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::1',
    '::',
    '[::1]',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
  ])('%s is blocked', (address) => {
    expect(isPrivateAddress(address)).toBe(true)
  })

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '172.15.255.255',
    '192.169.0.1',
    '100.128.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    'example.com',
  ])('%s is not', (address) => {
    expect(isPrivateAddress(address)).toBe(false)
  })

  it('judges every IPv4 address the same as its IPv4-mapped IPv6 form, and never throws', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(isPrivateAddress(`::ffff:${v4}`)).toBe(isPrivateAddress(v4))
      }),
      { numRuns: 10_000 },
    )
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), fc.string()), (address) => {
        expect(typeof isPrivateAddress(address)).toBe('boolean')
      }),
      { numRuns: 10_000 },
    )
  })
})

describe('isPrivateHost', () => {
  it.each(['localhost', 'api.localhost', 'metadata.google.internal', 'metadata', '127.0.0.1', '[::1]'])(
    '%s is blocked',
    (host) => {
      expect(isPrivateHost(host)).toBe(true)
    },
  )
  it.each(['localhost.example.com', 'api.example.com', 'metadata.example.com'])('%s is not', (host) => {
    expect(isPrivateHost(host)).toBe(false)
  })
})

describe('blockPrivateAddresses', () => {
  it('refuses a private address before sending anything', async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('inside') })
    const before = origin.connections()
    const result = await createClient({ blockPrivateAddresses: true }).get(`${origin.url}/`)
    expect(result).toMatchObject({
      kind: 'network-error',
      code: 'ERR_BLOCKED_ADDRESS',
      meta: { attempts: [] },
    })
    expect(origin.connections()).toBe(before)
    await origin.stop()
  })

  it('refuses a redirect that leads inside (cloud metadata), after following the public hop', async () => {
    const { fetch, requests } = scriptedFetch(
      () =>
        new Response(null, {
          status: 302,
          headers: { location: 'http://169.254.169.254/latest/meta-data/' },
        }),
    )
    const result = await createClient({ fetch, blockPrivateAddresses: true, retry: false }).get(
      'http://user-supplied.test/',
    )
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
    expect(result.meta.redirects).toEqual([
      expect.objectContaining({ to: 'http://169.254.169.254/latest/meta-data/' }),
    ])
    expect(requests).toHaveLength(1)
  })

  it('is not retried, and is off by default', async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('inside') })
    const guarded = await createClient({ blockPrivateAddresses: true }).get(`${origin.url}/`)
    expect(guarded.meta.retryStop).toBeNull()
    expect((await createClient().get(`${origin.url}/`)).kind).toBe('success')
    await origin.stop()
  })

  it('the undici transport also checks the address a name resolves to', async () => {
    const origin = await startOrigin({ '/': (_request, response) => response.end('inside') })
    const port = new URL(origin.url).port
    // The client's own check is off: only the transport's, after DNS, stands in the way.
    const transport = undiciTransport({ blockPrivateAddresses: true })
    const result = await createClient({ transport, retry: false }).get(`http://localhost:${port}/`)
    expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
    if (result.kind === 'network-error') expect(result.message).toMatch(/localhost \((127\.0\.0\.1|::1)\)/)
    await transport.close()
    await origin.stop()
  })

  it('must be a boolean', () => {
    expect(() => createClient({ blockPrivateAddresses: 'yes' as never })).toThrow(/"blockPrivateAddresses"/)
  })
})
