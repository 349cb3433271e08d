import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { policyFromHeader, refererFor } from '../../src/adapters/referrer.ts'
import { REFERRER_POLICIES } from '../support/referrer-policies.ts'

const page = 'https://app.example/docs/page?q=1#section'
const to = (url: string) => new URL(url)

describe('the Referer for init.referrer and init.referrerPolicy', () => {
  it.each([
    // policy, target, Referer
    ['', 'https://app.example/api', 'https://app.example/docs/page?q=1'],
    ['', 'https://other.example/api', 'https://app.example/'],
    ['', 'http://other.example/api', null],
    ['no-referrer', 'https://app.example/api', null],
    ['no-referrer-when-downgrade', 'https://other.example/api', 'https://app.example/docs/page?q=1'],
    ['no-referrer-when-downgrade', 'http://other.example/api', null],
    ['same-origin', 'https://app.example/api', 'https://app.example/docs/page?q=1'],
    ['same-origin', 'https://other.example/api', null],
    ['origin', 'http://other.example/api', 'https://app.example/'],
    ['strict-origin', 'https://other.example/api', 'https://app.example/'],
    ['strict-origin', 'http://other.example/api', null],
    ['origin-when-cross-origin', 'https://app.example/api', 'https://app.example/docs/page?q=1'],
    ['origin-when-cross-origin', 'http://other.example/api', 'https://app.example/'],
    ['strict-origin-when-cross-origin', 'https://other.example/api', 'https://app.example/'],
    ['unsafe-url', 'http://other.example/api', 'https://app.example/docs/page?q=1'],
    // The machine itself is potentially trustworthy: no downgrade to it.
    ['strict-origin', 'http://127.0.0.1:8080/api', 'https://app.example/'],
    ['strict-origin', 'http://[::1]:8080/api', 'https://app.example/'],
    ['strict-origin', 'http://10.0.0.1/api', null],
  ])('%j to %s sends %j', (policy, target, referer) => {
    expect(refererFor(page, policy, to(target))).toBe(referer)
  })

  it("sends none for fetch's own default referrer, and none for ''", () => {
    for (const referrer of [undefined, '', 'about:client']) {
      expect(refererFor(referrer, 'unsafe-url', to('https://app.example/'))).toBeNull()
    }
  })

  it('cuts a referrer past 4096 characters to its origin, and drops credentials and the fragment', () => {
    const long = `https://app.example/${'a'.repeat(5000)}`
    expect(refererFor(long, 'unsafe-url', to('https://app.example/'))).toBe('https://app.example/')
    expect(refererFor('https://u:p@app.example/x#y', 'unsafe-url', to('https://app.example/'))).toBe(
      'https://app.example/x',
    )
  })

  it('a relative referrer or an unknown policy is a TypeError, as with fetch', () => {
    expect(() => refererFor('/docs', '', to('https://app.example/'))).toThrow(TypeError)
    expect(() => refererFor(page, 'sometimes', to('https://app.example/'))).toThrow(TypeError)
  })

  it('never sends credentials or a fragment, and an origin-only policy never a path', () => {
    const policies = fc.constantFrom(...REFERRER_POLICIES)
    fc.assert(
      fc.property(
        fc.webUrl({ withFragments: true, withQueryParameters: true }),
        fc.webUrl(),
        policies,
        (referrer, target, policy) => {
          const referer = refererFor(referrer, policy, to(target))
          if (referer === null) return
          const sent = new URL(referer)
          expect(sent.username + sent.password + sent.hash).toBe('')
          if (policy === 'origin' || policy === 'strict-origin') expect(sent.pathname + sent.search).toBe('/')
        },
      ),
      { numRuns: 10_000 },
    )
  })

  it('a Referrer-Policy header sets its last token that names a policy, or nothing', () => {
    expect(policyFromHeader('origin, asdas, asdaw34, no-referrer,,')).toBe('no-referrer')
    expect(policyFromHeader('no-referrer, asdas, origin, 0943sd')).toBe('origin')
    expect(policyFromHeader(' Unsafe-URL ')).toBe('unsafe-url')
    expect(policyFromHeader('asdasd, ,')).toBeNull()
    expect(policyFromHeader(null)).toBeNull()
    const token = fc.oneof(
      fc.constantFrom(...REFERRER_POLICIES),
      fc.string().filter((text) => !text.includes(',')),
    )
    fc.assert(
      fc.property(fc.array(token), (tokens) => {
        const named = tokens
          .map((text) => text.trim().toLowerCase())
          .filter((text) => text !== '' && (REFERRER_POLICIES as readonly string[]).includes(text))
        expect(policyFromHeader(tokens.join(','))).toBe(named.at(-1) ?? null)
      }),
      { numRuns: 2_000 },
    )
  })
})
