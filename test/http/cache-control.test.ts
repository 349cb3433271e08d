import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deltaSeconds, MAX_DELTA_SECONDS, parseAge, parseCacheControl } from '../../src/http/cache-control.ts'

const parsed = (value: string) => Object.fromEntries(parseCacheControl(value))

describe('parseCacheControl (RFC 9111 §5.2)', () => {
  it('reads names case-insensitively, with or without an argument', () => {
    expect(parsed('No-CaChE, MaX-AgE=60, public')).toEqual({
      'no-cache': true,
      'max-age': '60',
      public: true,
    })
  })

  it('keeps the first of a directive given twice (§4.2.1)', () => {
    expect(parsed('max-age=1800, max-age=1')).toEqual({ 'max-age': '1800' })
  })

  it('unquotes a quoted argument and keeps commas inside it', () => {
    expect(parsed('private="set-cookie, x", max-age="5"')).toEqual({
      private: 'set-cookie, x',
      'max-age': '5',
    })
    expect(parsed('a="say \\"hi\\""')).toEqual({ a: 'say "hi"' })
  })

  it('reads a member that does not parse on the safe side, and only it', () => {
    // A restricting directive counts, with no usable argument; a granting one is dropped.
    expect(parsed('max-age =3600, public')).toEqual({ 'max-age': '', public: true })
    expect(parsed('max-age= 3600, no-store')).toEqual({ 'max-age': '', 'no-store': true })
    expect(parsed('max-age=60, no-cache = "authorization"')).toEqual({ 'max-age': '60', 'no-cache': '' })
    expect(parsed('public =1, immutable= 1, stale-while-revalidate =60, max-age=5')).toEqual({
      'max-age': '5',
    })
    expect(parsed('extension="max-age=3600", max-age=1')).toEqual({
      extension: 'max-age=3600',
      'max-age': '1',
    })
    // What an unclosed quote swallows is read for what restricts reuse, with no usable argument.
    expect(parsed('x="unclosed, max-age=5')).toEqual({ x: '', 'max-age': '' })
    expect(parsed('max-age=60, x="a, no-cache, public')).toEqual({ 'max-age': '60', x: '', 'no-cache': '' })
    expect(parsed(' , ,no-store,, ')).toEqual({ 'no-store': true })
  })

  it('never throws, and every name it gives is a lower-case token (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        for (const [name, argument] of parseCacheControl(value)) {
          expect(name).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/)
          expect(argument === true || typeof argument === 'string').toBe(true)
        }
      }),
      { numRuns: 10_000 },
    )
  })

  it('reads back what a well-formed field says (property)', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/)
    const argument = fc.option(
      fc.oneof(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[ -~]{0,8}$/)),
      {
        nil: undefined,
      },
    )
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(token, argument), { selector: ([name]) => name, maxLength: 6 }),
        (members) => {
          const field = members
            .map(([name, value]) =>
              value === undefined
                ? name
                : /^[a-z0-9]+$/.test(value)
                  ? `${name}=${value}`
                  : `${name}="${value.replace(/["\\]/g, '\\$&')}"`,
            )
            .join(', ')
          expect(parsed(field)).toEqual(
            Object.fromEntries(members.map(([name, value]) => [name, value ?? true])),
          )
        },
      ),
      { numRuns: 5_000 },
    )
  })
})

describe('deltaSeconds (§1.2.2)', () => {
  it('is digits only, leading zeros allowed, capped at 2^31', () => {
    expect(deltaSeconds('003600')).toBe(3600)
    expect(deltaSeconds('99999999999999999999')).toBe(MAX_DELTA_SECONDS)
    for (const bad of ['3600.0', '-1', 'a3600', '3600a', '', ' 1', true, undefined] as const)
      expect(deltaSeconds(bad)).toBeNull()
  })
})

describe('parseAge (§5.1)', () => {
  it('takes the first value, and ignores one that is no non-negative integer', () => {
    expect(parseAge('7200, 0')).toBe(7200)
    expect(parseAge('0, 7200')).toBe(0)
    expect(parseAge(' 60 ')).toBe(60)
    for (const ignored of ['7200.0', '-7200', 'abc', '7200;foo=bar', '']) expect(parseAge(ignored)).toBe(0)
    expect(parseAge('2147483649')).toBe(MAX_DELTA_SECONDS)
    expect(parseAge(null)).toBe(0)
  })

  it('is never negative nor more than 2^31, whatever it is sent (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const age = parseAge(value)
        expect(Number.isInteger(age) && age >= 0 && age <= MAX_DELTA_SECONDS).toBe(true)
      }),
      { numRuns: 10_000 },
    )
  })
})
