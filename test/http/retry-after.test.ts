import { describe, expect, it } from 'vitest'
import { parseHttpDate } from '../../src/http/date.ts'
import { parseRetryAfter } from '../../src/index.ts'

const now = Date.UTC(2026, 10, 24, 12, 0, 0)

describe('parseHttpDate (RFC 9110 §5.6.7)', () => {
  const sunday = Date.UTC(1994, 10, 6, 8, 49, 37)
  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime', 'Sun Nov  6 08:49:37 1994'],
    ['case-insensitive names', 'SUN, 06 NOV 1994 08:49:37 GMT'],
  ])('reads %s', (_format, value) => {
    expect(parseHttpDate(value, now)).toBe(sunday)
  })

  it('puts an RFC 850 year more than 50 years ahead in the past century', () => {
    expect(new Date(parseHttpDate('Monday, 01-Jan-76 00:00:00 GMT', now) ?? 0).getUTCFullYear()).toBe(2076)
    expect(new Date(parseHttpDate('Thursday, 01-Jan-77 00:00:00 GMT', now) ?? 0).getUTCFullYear()).toBe(1977)
  })

  it.each([
    '',
    'yesterday',
    '06 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 08:49:37 PST',
    'Sun, 31 Feb 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    'Sun, 06 Foo 1994 08:49:37 GMT',
    '2026-11-24T12:00:00Z',
  ])('rejects %j', (value) => {
    expect(parseHttpDate(value, now)).toBeNull()
  })
})

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toEqual({ ms: 120_000, at: new Date(now + 120_000) })
    expect(parseRetryAfter(' 0 ', now)).toEqual({ ms: 0, at: new Date(now) })
  })

  it('reads an HTTP-date as the time left until it', () => {
    expect(parseRetryAfter('Tue, 24 Nov 2026 12:00:30 GMT', now)).toEqual({
      ms: 30_000,
      at: new Date(now + 30_000),
    })
  })

  it('takes a date in the past as now', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toEqual({ ms: 0, at: new Date(now) })
  })

  it.each([null, '', '-5', '1.5', '10s', 'soon', '0x10', '+3', 'Infinity'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull()
  })

  it('clamps an absurd delay so that the date stays valid', () => {
    const parsed = parseRetryAfter('9'.repeat(40), now)
    expect(parsed?.ms).toBe(1e12)
    expect(Number.isNaN(parsed?.at.getTime())).toBe(false)
  })
})
