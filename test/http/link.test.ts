import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { linkTarget } from '../../src/http/link.ts'

const base = new URL('https://api.test/v1/items?page=1')

describe('linkTarget (RFC 8288)', () => {
  it.each([
    ['<https://api.test/v1/items?page=2>; rel="next"', 'https://api.test/v1/items?page=2'],
    ['<items?page=2>; rel=next', 'https://api.test/v1/items?page=2'],
    ['</first>; rel="first", </v1/items?page=2>; rel="next"', 'https://api.test/v1/items?page=2'],
    ['<p2>; title="next, please"; rel="prefetch next"', 'https://api.test/v1/p2'],
    ['<p2>; REL="NEXT"', 'https://api.test/v1/p2'],
    ['<p2>; rel="next"; rel="prev"', 'https://api.test/v1/p2'],
  ])('%s', (value, expected) => {
    expect(linkTarget(value, 'next', base)?.href).toBe(expected)
  })

  it.each([
    [null],
    [''],
    ['<p2>; rel="prev"'],
    ['<p2>; rel="prev"; rel="next"'],
    ['<p2>; rel="nextpage"'],
    ['<p2; rel="next"'],
    ['p2; rel="next"'],
  ])('finds no next in %s', (value) => {
    expect(linkTarget(value, 'next', base)).toBeNull()
  })

  it('never throws, and finds a next link among any others', () => {
    const uri = fc.webPath().map((path) => path.replace(/[<>,;"\s]/g, ''))
    const link = fc.record({ target: uri, rel: fc.constantFrom('next', 'prev', 'first last', 'alternate') })
    fc.assert(
      fc.property(fc.string(), (value) => {
        linkTarget(value, 'next', base)
      }),
    )
    fc.assert(
      fc.property(fc.array(link, { maxLength: 6 }), (links) => {
        const value = links.map(({ target, rel }) => `<${target}>; rel="${rel}"`).join(', ')
        const first = links.find(({ rel }) => rel === 'next')
        expect(linkTarget(value, 'next', base)?.href ?? null).toBe(
          first ? (URL.parse(first.target, base)?.href ?? null) : null,
        )
      }),
    )
  })
})
