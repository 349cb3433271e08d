import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { matchesIntegrity, parseIntegrity } from '../../src/adapters/integrity.ts'

const digest = (algorithm: string, bytes: Uint8Array) =>
  `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`

describe('Subresource Integrity', () => {
  const body = new TextEncoder().encode('{"a":1}')

  it('matches a body against the strongest algorithm named, and only that one', () => {
    expect(matchesIntegrity(body, digest('sha256', body))).toBe(true)
    expect(matchesIntegrity(body, `${digest('sha256', body)} sha512-AAAA`)).toBe(false)
    expect(matchesIntegrity(body, `sha256-AAAA ${digest('sha384', body)}`)).toBe(true)
    expect(matchesIntegrity(body, 'sha256-AAAA')).toBe(false)
  })

  it('a digest that is not base64 fails the check, rather than turning it off', () => {
    expect(matchesIntegrity(body, 'sha256-ä')).toBe(false)
    expect(matchesIntegrity(body, `${digest('sha256', body)} sha384-ä`)).toBe(false)
    expect(matchesIntegrity(body, `sha384-ä ${digest('sha256', body)}`)).toBe(false)
    expect(matchesIntegrity(body, 'sha256-')).toBe(false)
  })

  it('ignores unknown algorithms and options, and takes base64url', () => {
    expect(matchesIntegrity(body, 'md5-AAAA sha1-BBBB')).toBe(true)
    expect(matchesIntegrity(body, `${digest('sha256', body)}?foo=bar`)).toBe(true)
    const url = digest('sha256', body).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
    expect(matchesIntegrity(body, url)).toBe(true)
    expect(parseIntegrity('  SHA256-abc=  nonsense sha512-x ')).toEqual([
      { algorithm: 'sha256', value: 'abc=' },
      { algorithm: 'sha512', value: 'x' },
    ])
  })

  it('any body matches its own digest, and no body with one byte changed does', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.constantFrom('sha256', 'sha384', 'sha512'),
        fc.nat(),
        (bytes, algorithm, at) => {
          const metadata = digest(algorithm, bytes)
          expect(matchesIntegrity(bytes, metadata)).toBe(true)
          const changed = Uint8Array.from(bytes)
          changed[at % changed.length] = ((changed[at % changed.length] ?? 0) + 1) % 256
          expect(matchesIntegrity(changed, metadata)).toBe(false)
        },
      ),
      { numRuns: 10_000 },
    )
  })
})
