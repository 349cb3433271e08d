/** A URL's origin, read from its text when it can be (originOf): always what `url.origin` says. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { originOf } from '../../src/http/href.ts'

describe('originOf', () => {
  it('is url.origin, for any http(s) URL: ports, credentials, IPv6, IDNs, queries, fragments', () => {
    const host = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((address) => `[${address}]`),
      fc.constantFrom('bücher.example', 'EXAMPLE.com', 'localhost'),
    )
    const url = fc
      .record({
        scheme: fc.constantFrom('http', 'https', 'HTTP', 'ftp', 'ws'),
        credentials: fc.constantFrom('', 'user@', 'user:secret@', ':secret@'),
        host,
        port: fc.constantFrom('', ':80', ':443', ':8080', ':0'),
        path: fc.webPath(),
        query: fc.constantFrom('', '?a=1', '?/x', '?'),
        fragment: fc.constantFrom('', '#top', '#/a/b'),
      })
      .map((p) => `${p.scheme}://${p.credentials}${p.host}${p.port}${p.path}${p.query}${p.fragment}`)
    fc.assert(
      fc.property(url, url, (first, second) => {
        // Two in a row, as calls come: the one kept from the last read never answers for another URL.
        for (const text of [first, second, first]) {
          const parsed = new URL(text)
          expect(originOf(parsed)).toBe(parsed.origin)
        }
      }),
    )
  })
})
