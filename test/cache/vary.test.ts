import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Credentials } from '../../src/cache/credentials.ts'
import type { CacheEntry } from '../../src/cache/store.ts'
import { entryMatches, normaliseValue, varyValues } from '../../src/cache/vary.ts'
import { DEFAULT_SENSITIVE_HEADERS } from '../../src/guard/sensitive-headers.ts'

const credentials = new Credentials(DEFAULT_SENSITIVE_HEADERS, 'a key of sixteen+ chars')
const head = (headers: Record<string, string> = {}) => ({ headers, requestTime: 0, responseTime: 0 })

/** Whether a request with `second` is served what was stored for a request with `first`. */
function served(
  vary: string,
  first: HeadersInit,
  second: HeadersInit,
  response: Record<string, string> = {},
) {
  const values = varyValues(vary, new Headers(first), credentials)
  const entry = { vary: values, credentialHash: '' } as unknown as CacheEntry
  return entryMatches(entry, head(response), new Headers(second), {
    credentials,
    fingerprint: '',
    sharesAnonymous: true,
  })
}

describe('Vary (RFC 9111 §4.1), normalised', () => {
  it('list members are trimmed, however the lines were split', () => {
    expect(served('Foo', { foo: '1,2' }, { foo: ' 1, 2 ' })).toBe(true)
    expect(
      served('Foo', { foo: '1, 2' }, [
        ['foo', '1'],
        ['foo', '2'],
      ]),
    ).toBe(true)
    expect(served('Foo', { foo: '1, 2' }, { foo: '2, 1' })).toBe(false)
    expect(served('Foo', { foo: 'a' }, { foo: 'A' })).toBe(false)
  })

  it('Accept-Language and Accept-Encoding are compared without case, order or spaces', () => {
    expect(
      served('Accept-Language', { 'accept-language': 'en, de' }, { 'accept-language': 'De,   EN' }),
    ).toBe(true)
    expect(
      served('accept-encoding', { 'accept-encoding': 'gzip, br' }, { 'accept-encoding': 'br,gzip' }),
    ).toBe(true)
    expect(served('Accept-Language', { 'accept-language': 'en' }, { 'accept-language': 'fr' })).toBe(false)
  })

  it('another Accept-Language matches a response in the language it prefers most', () => {
    const german = { 'content-language': 'de' }
    expect(
      served(
        'Accept-Language',
        { 'accept-language': 'en, de' },
        { 'accept-language': 'fr;q=0.5, de;q=1.0' },
        german,
      ),
    ).toBe(true)
    expect(
      served(
        'Accept-Language',
        { 'accept-language': 'en, de' },
        { 'accept-language': 'fr, de;q=0.9' },
        german,
      ),
    ).toBe(false)
    expect(
      served('Accept-Language', { 'accept-language': 'en, de' }, { 'accept-language': 'de;q=0, fr' }, german),
    ).toBe(false)
  })

  it('a header absent from both matches; present in one only, not', () => {
    expect(served('Foo', {}, {})).toBe(true)
    expect(served('Foo', { foo: '' }, {})).toBe(false)
  })

  it('normalising is idempotent, and Accept-Language is the same in any order (property)', () => {
    const range = fc.stringMatching(/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})?(;q=0\.[0-9])?$/)
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 5 }), fc.string(), (ranges, other) => {
        const once = normaliseValue('accept-language', ranges.join(', '))
        expect(normaliseValue('accept-language', once)).toBe(once)
        expect(normaliseValue('accept-language', [...ranges].reverse().join(' ,'))).toBe(once)
        const plain = normaliseValue('x-other', other)
        expect(normaliseValue('x-other', plain)).toBe(plain)
      }),
      { numRuns: 10_000 },
    )
  })
})
