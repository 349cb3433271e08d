/** The conventions' attributes: url.full's redaction (property-tested), `_OTHER` methods, error.type. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_SENSITIVE_QUERY_PARAMETERS,
  methodAttributes,
  protocolAttributes,
  redactedUrl,
} from '../../src/otel/attributes.ts'

const sensitive = new Set(DEFAULT_SENSITIVE_QUERY_PARAMETERS)

describe('redactedUrl', () => {
  it('hides every sensitive value, keeps its key, and leaves every other part as it was (property)', () => {
    const key = fc.oneof(
      fc.constantFrom(...DEFAULT_SENSITIVE_QUERY_PARAMETERS),
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,8}$/),
    )
    const value = fc.string({ maxLength: 12 })
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 6 }), fc.boolean(), (pairs, hash) => {
        const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')
        const url = new URL(`https://api.test/p?${query}${hash ? '#part' : ''}`)
        const shown = new URL(redactedUrl(url, sensitive))
        expect(shown.origin + shown.pathname + shown.hash).toBe(url.origin + url.pathname + url.hash)
        const before = [...url.searchParams]
        const after = [...shown.searchParams]
        expect(after.map(([k]) => k)).toEqual(before.map(([k]) => k))
        for (const [index, [k, v]] of before.entries()) {
          expect(after[index]?.[1]).toBe(sensitive.has(k) ? 'REDACTED' : v)
        }
      }),
    )
  })

  it('hides a user and password as the conventions say; matches keys case-sensitively', () => {
    expect(redactedUrl(new URL('https://ada:pw@api.test/x?q=1'), sensitive)).toBe(
      'https://REDACTED:REDACTED@api.test/x?q=1',
    )
    expect(redactedUrl(new URL('https://api.test/?SIG=kept&sig=gone'), sensitive)).toBe(
      'https://api.test/?SIG=kept&sig=REDACTED',
    )
    expect(redactedUrl(new URL('https://api.test/?sig'), sensitive)).toBe('https://api.test/?sig=REDACTED')
    // A key spelt with escapes is the key it decodes to.
    expect(redactedUrl(new URL('https://api.test/?%73ig=gone'), sensitive)).toBe(
      'https://api.test/?%73ig=REDACTED',
    )
  })
})

describe('methods and protocols', () => {
  it('a method the stable conventions know is itself; any other, QUERY included, is _OTHER', () => {
    expect(methodAttributes('PATCH')).toEqual({ 'http.request.method': 'PATCH' })
    expect(methodAttributes('QUERY')).toEqual({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'QUERY',
    })
    expect(methodAttributes('get')).toMatchObject({ 'http.request.method': '_OTHER' })
  })

  it('network.protocol.version from the ALPN name', () => {
    expect(protocolAttributes('h2')).toEqual({ 'network.protocol.version': '2' })
    expect(protocolAttributes('http/1.1')).toEqual({ 'network.protocol.version': '1.1' })
    expect(protocolAttributes(null)).toEqual({})
  })
})
