import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { currentAge, freshnessOf, timeToLive } from '../../src/cache/freshness.ts'
import type { StoredHead } from '../../src/cache/head.ts'

const now = Date.UTC(2026, 10, 24, 12, 0, 0)
const date = (ms: number) => new Date(ms).toUTCString()
const head = (headers: Record<string, string>, requestTime = now, responseTime = now): StoredHead => ({
  headers: { date: date(responseTime), ...headers },
  requestTime,
  responseTime,
})
const lifetime = (headers: Record<string, string>, status = 200) =>
  freshnessOf(head(headers), status, now).lifetime

describe('freshness lifetime (RFC 9111 §4.2.1)', () => {
  it('is max-age, before Expires', () => {
    expect(lifetime({ 'cache-control': 'max-age=60', expires: date(now + 3_600_000) })).toBe(60)
    expect(lifetime({ 'cache-control': 'MAX-AGE=60' })).toBe(60)
  })

  it('is Expires less Date without max-age', () => {
    expect(lifetime({ expires: date(now + 3_600_000) })).toBe(3600)
    expect(lifetime({ expires: date(now - 3_600_000) })).toBe(0)
  })

  it.each([
    'Thu, 18 Aug 2050 02:01:18 UTC',
    'Thu 18 Aug 2050 02:01:18 GMT',
    'Thu, 18  Aug  2050 02:01:18 GMT',
    'Thu, 18-Aug-2050 02:01:18 GMT',
    'Thu, 18 Aug 2050 2:01:18 GMT',
    'Thu, 18 Aug 50 02:01:18 GMT',
    'Thu, 18 Aug 2050 02:01:18 GMT, Thu, 18 Aug 2050 02:01:19 GMT',
    '0',
  ])('an invalid Expires (%s) is already expired (§5.3), where Date.parse would read a date', (expires) => {
    expect(lifetime({ expires })).toBe(0)
  })

  it('reads the obsolete forms, and an RFC 850 year of 50 as 2050 (RFC 9110 §5.6.7)', () => {
    expect(lifetime({ expires: 'Thursday, 18-Aug-50 02:01:18 GMT' })).toBeGreaterThan(20 * 365 * 86_400)
    expect(lifetime({ expires: 'Thu Aug  8 02:01:18 2050' })).toBeGreaterThan(20 * 365 * 86_400)
  })

  it('is 0 for a max-age that is no delta-seconds, Expires notwithstanding', () => {
    expect(lifetime({ 'cache-control': 'max-age=3600.0', expires: date(now + 3_600_000) })).toBe(0)
  })

  it('is a tenth of the time since Last-Modified for a heuristically cacheable status (§4.2.2)', () => {
    const lastModified = date(now - 10 * 86_400_000)
    expect(lifetime({ 'last-modified': lastModified })).toBe(86_400)
    expect(lifetime({ 'last-modified': lastModified }, 404)).toBe(86_400)
    expect(lifetime({ 'last-modified': lastModified }, 500)).toBe(0)
    expect(lifetime({ 'last-modified': lastModified, 'cache-control': 'public' }, 500)).toBe(86_400)
    expect(lifetime({})).toBe(0)
  })

  it('ignores s-maxage: this is a private cache', () => {
    expect(lifetime({ 'cache-control': 's-maxage=60' })).toBe(0)
  })
})

describe('current age (§4.2.3)', () => {
  it('counts Age, the request time and the time held', () => {
    const stored = head({ age: '30' }, now - 2000, now)
    expect(currentAge(stored, now + 10_000)).toBe(30 + 2 + 10)
  })

  it('counts a Date in the past (apparent age)', () => {
    expect(currentAge(head({ date: date(now - 100_000) }), now)).toBe(100)
  })

  it('ignores an Age that is no integer (§5.1)', () => {
    expect(currentAge(head({ age: '7200.0' }), now)).toBe(0)
  })

  it('never falls as time passes, and is never negative (property)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.nat(10_000_000),
        fc.nat(10_000_000),
        (age, dateValue, delay, later) => {
          const stored = head({ age, date: dateValue }, now - delay, now)
          const before = currentAge(stored, now)
          expect(before).toBeGreaterThanOrEqual(0)
          expect(currentAge(stored, now + later)).toBeGreaterThanOrEqual(before)
        },
      ),
      { numRuns: 10_000 },
    )
  })
})

describe('time to live', () => {
  it('is the freshness left, then the longer stale window', () => {
    const freshness = freshnessOf(
      head({ 'cache-control': 'max-age=60, stale-while-revalidate=30, stale-if-error=600' }),
      200,
      now + 10_000,
    )
    expect(timeToLive(freshness)).toBe(50 + 600)
  })
})
