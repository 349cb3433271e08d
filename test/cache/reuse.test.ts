import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Freshness, freshnessLifetime } from '../../src/cache/freshness.ts'
import { requestDirectives, reuseOf, staleIfErrorAllows } from '../../src/cache/reuse.ts'
import { parseCacheControl } from '../../src/http/cache-control.ts'

const freshness = (lifetime: number, age: number, cacheControl = ''): Freshness => ({
  lifetime,
  age,
  directives: parseCacheControl(cacheControl),
})
const asked = (cacheControl: string) => requestDirectives(new Headers({ 'cache-control': cacheControl }))
const none = requestDirectives(new Headers())

describe('a malformed Cache-Control member (issue 35)', () => {
  const MEMBERS = [
    'max-age=60',
    'no-cache',
    'no-cache="authorization"',
    'no-store',
    'must-revalidate',
    'public',
    'immutable',
    'stale-while-revalidate=600',
    'private="set-cookie"',
  ]
  /** Ways a server gets a member's syntax wrong: spaces around `=`, an unclosed quote, junk after it. */
  const MANGLE = [
    (member: string) => member.replace('=', ' ='),
    (member: string) => member.replace('=', '= '),
    (member: string) => member.replace('=', ' = '),
    (member: string) => `${member} junk`,
    (member: string) => (member.includes('=') ? member.replace(/"?$/, '') : `${member}="x`),
  ]
  const RANK = { revalidate: 0, 'stale-while-revalidate': 1, fresh: 2 } as const
  const lifetimeOf = (field: string) => {
    const directives = parseCacheControl(field)
    const head = {
      headers: { 'cache-control': field, 'last-modified': 'Sun, 06 Nov 1994 08:49:37 GMT' },
      requestTime: 0,
      responseTime: 0,
    }
    return { lifetime: freshnessLifetime(head, 200, directives), directives }
  }

  it('never makes a response fresher than the well-formed member would (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...MEMBERS), {
          minLength: 1,
          maxLength: 4,
          selector: (m) => m.split('=')[0],
        }),
        fc.nat(),
        fc.constantFrom(...MANGLE),
        fc.nat({ max: 2_000 }),
        (members, which, mangle, age) => {
          const index = which % members.length
          const wellFormed = lifetimeOf(members.join(', '))
          const mangled = lifetimeOf(members.map((m, at) => (at === index ? mangle(m) : m)).join(', '))
          expect(mangled.lifetime).toBeLessThanOrEqual(wellFormed.lifetime)
          const reuse = (of: typeof wellFormed) => RANK[reuseOf({ ...of, age }, none)]
          expect(reuse(mangled)).toBeLessThanOrEqual(reuse(wellFormed))
        },
      ),
      { numRuns: 5_000 },
    )
  })

  it('revalidates max-age=60 with a no-cache written with spaces around its =', () => {
    expect(reuseOf(lifetimeOf('max-age=60, no-cache = "authorization"') as never, none)).toBe('revalidate')
  })
})

describe('reuse of a stored response (RFC 9111 §4.2, §5.2)', () => {
  it('serves a fresh response, revalidates a stale one', () => {
    expect(reuseOf(freshness(60, 10), none)).toBe('fresh')
    expect(reuseOf(freshness(60, 61), none)).toBe('revalidate')
  })

  it('serves a fresh must-revalidate response; only a stale one is revalidated (§5.2.2.2)', () => {
    expect(reuseOf(freshness(60, 10, 'must-revalidate'), none)).toBe('fresh')
    expect(reuseOf(freshness(60, 61, 'must-revalidate'), asked('max-stale'))).toBe('revalidate')
  })

  it('revalidates no-cache from either side, and Pragma: no-cache without a Cache-Control (§5.4)', () => {
    expect(reuseOf(freshness(60, 0, 'No-Cache'), none)).toBe('revalidate')
    expect(reuseOf(freshness(60, 0), asked('no-cache'))).toBe('revalidate')
    expect(reuseOf(freshness(60, 0), requestDirectives(new Headers({ pragma: 'no-cache' })))).toBe(
      'revalidate',
    )
    const both = new Headers({ pragma: 'no-cache', 'cache-control': 'max-stale' })
    expect(reuseOf(freshness(60, 0), requestDirectives(both))).toBe('fresh')
  })

  it("honours the request's max-age, min-fresh and max-stale", () => {
    expect(reuseOf(freshness(600, 100), asked('max-age=50'))).toBe('revalidate')
    expect(reuseOf(freshness(600, 100), asked('min-fresh=600'))).toBe('revalidate')
    expect(reuseOf(freshness(60, 100), asked('max-stale=50'))).toBe('fresh')
    expect(reuseOf(freshness(60, 100), asked('max-stale=30'))).toBe('revalidate')
    expect(reuseOf(freshness(60, 1e9), asked('max-stale'))).toBe('fresh')
  })

  it('serves stale while revalidating within stale-while-revalidate', () => {
    expect(reuseOf(freshness(60, 80, 'stale-while-revalidate=30'), none)).toBe('stale-while-revalidate')
    expect(reuseOf(freshness(60, 100, 'stale-while-revalidate=30'), none)).toBe('revalidate')
  })

  it('serves stale on an error within stale-if-error, never past must-revalidate', () => {
    expect(staleIfErrorAllows(freshness(60, 100, 'stale-if-error=60'), none)).toBe(true)
    expect(staleIfErrorAllows(freshness(60, 100), asked('stale-if-error=60'))).toBe(true)
    expect(staleIfErrorAllows(freshness(60, 200, 'stale-if-error=60'), none)).toBe(false)
    expect(staleIfErrorAllows(freshness(60, 100, 'stale-if-error=60, must-revalidate'), none)).toBe(false)
  })

  it('never serves without the origin what no-cache or must-revalidate forbids (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(10_000),
        fc.string(),
        fc.string(),
        (lifetime, age, response, request) => {
          const stored = freshness(lifetime, age, response)
          const reuse = reuseOf(stored, asked(request))
          if (stored.directives.has('no-cache')) expect(reuse).toBe('revalidate')
          if (stored.directives.has('must-revalidate') && age >= lifetime) expect(reuse).toBe('revalidate')
          if (reuse === 'stale-while-revalidate') expect(age).toBeGreaterThanOrEqual(lifetime)
        },
      ),
      { numRuns: 10_000 },
    )
  })
})
