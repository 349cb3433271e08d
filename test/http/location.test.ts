import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLocation } from '../../src/http/location.ts'

const base = new URL('https://api.example/v1/items?page=2')

/** The reading as it was specified, each step spelled out: the fast paths must agree with it. */
function reference(value: string | null, from: URL): URL | null {
  if (value === null) return null
  const values = new Set(value.split(/,\s+/).map((part) => part.trim()))
  const [only] = values
  if (values.size !== 1 || !only) return null
  const codes = Array.from(only, (char) => char.charCodeAt(0))
  let text = only
  if (codes.some((code) => code > 0x7f) && !codes.some((code) => code > 0xff)) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(codes))
    } catch {}
  }
  return URL.parse(text, from)
}

describe('parseLocation', () => {
  it('resolves one value against the request URL', () => {
    expect(parseLocation('/next', base)?.href).toBe('https://api.example/next')
    expect(parseLocation('  other?x=1 ', base)?.href).toBe('https://api.example/v1/other?x=1')
  })

  it('keeps a comma inside a URI, and refuses several different values', () => {
    expect(parseLocation('/a,b', base)?.href).toBe('https://api.example/a,b')
    expect(parseLocation('/a, /a', base)?.href).toBe('https://api.example/a')
    expect(parseLocation('/a, /b', base)).toBeNull()
    expect(parseLocation('', base)).toBeNull()
    expect(parseLocation(null, base)).toBeNull()
  })

  it('reads the bytes of a non-ASCII Location as UTF-8', () => {
    const latin1 = String.fromCharCode(...new TextEncoder().encode('/안녕'))
    expect(parseLocation(latin1, base)?.pathname).toBe('/%EC%95%88%EB%85%95')
    // Not UTF-8: taken as it came.
    expect(parseLocation('/caf\u00e9', base)?.pathname).toBe('/caf%C3%A9')
  })

  it('reads every value as the step-by-step reading does', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom('/a', 'b', ', ', ',', ' ', '\u00ec\u0095\u0088', '\u00e9', '?q=1', '#f', '//h/', '\t'),
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const value = pieces.join('')
        expect(parseLocation(value, base)?.href).toBe(reference(value, base)?.href)
      }),
      { numRuns: 2000 },
    )
  })
})
