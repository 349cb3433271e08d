import { describe, expect, it } from 'vitest'
import type { StoredHead } from '../../src/cache/head.ts'
import { newHead } from '../../src/cache/head.ts'
import {
  callerValidatorsMatch,
  freshenedHead,
  notModifiedSelects,
  servedHeaders,
  validatorsOf,
} from '../../src/cache/revalidation.ts'

const now = Date.UTC(2026, 10, 24, 12, 0, 0)
const stored = (headers: Record<string, string>): StoredHead => ({
  headers,
  requestTime: now,
  responseTime: now,
})

describe('the conditional request (RFC 9111 §4.3.1)', () => {
  it('carries the stored ETag and Last-Modified', () => {
    expect(validatorsOf(stored({ etag: '"a"', 'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT' }))).toEqual({
      'if-none-match': '"a"',
      'if-modified-since': 'Tue, 24 Nov 2026 10:00:00 GMT',
    })
    expect(validatorsOf(stored({}))).toEqual({})
  })
})

describe('which 304 selects the stored response (§4.3.4)', () => {
  it('a strong ETag must be the stored one; a weak one matches weakly', () => {
    expect(notModifiedSelects(stored({ etag: '"a"' }), new Headers({ etag: '"a"' }))).toBe(true)
    expect(notModifiedSelects(stored({ etag: '"a"' }), new Headers({ etag: '"b"' }))).toBe(false)
    expect(notModifiedSelects(stored({ etag: 'W/"a"' }), new Headers({ etag: '"a"' }))).toBe(false)
    expect(notModifiedSelects(stored({ etag: '"a"' }), new Headers({ etag: 'W/"a"' }))).toBe(true)
    expect(notModifiedSelects(stored({}), new Headers({ etag: '"a"' }))).toBe(false)
  })

  it('without an ETag, Last-Modified must match; with neither, the revalidated response is selected', () => {
    const lastModified = 'Tue, 24 Nov 2026 10:00:00 GMT'
    expect(
      notModifiedSelects(
        stored({ 'last-modified': lastModified }),
        new Headers({ 'last-modified': lastModified }),
      ),
    ).toBe(true)
    expect(
      notModifiedSelects(
        stored({ 'last-modified': lastModified }),
        new Headers({ 'last-modified': 'Wed, 25 Nov 2026 10:00:00 GMT' }),
      ),
    ).toBe(false)
    expect(notModifiedSelects(stored({ etag: '"a"' }), new Headers())).toBe(true)
  })
})

describe('the head a 304 freshens (§3.2, §4.3.4)', () => {
  it("takes the 304's fields, but never Content-Length, Content-Encoding or what is never stored", () => {
    const before = stored({
      'x-a': '1',
      'content-length': '36',
      'content-encoding': 'gzip',
      'cache-control': 'max-age=1',
    })
    const notModified = new Headers({
      'x-a': '2',
      'content-length': '0',
      'content-encoding': 'br',
      'cache-control': 'max-age=60',
      'set-cookie': 'a=b',
      connection: 'x-hop',
      'x-hop': '1',
      date: new Date(now + 5000).toUTCString(),
    })
    const after = freshenedHead(before, notModified, now + 4000, now + 5000)
    expect(after.headers).toMatchObject({
      'x-a': '2',
      'content-length': '36',
      'content-encoding': 'gzip',
      'cache-control': 'max-age=60',
    })
    expect(after.headers).not.toHaveProperty('set-cookie')
    expect(after.headers).not.toHaveProperty('x-hop')
    expect(after).toMatchObject({ requestTime: now + 4000, responseTime: now + 5000 })
  })

  it('is dated when the 304 came if it has no Date, and drops the old Age', () => {
    const after = freshenedHead(
      stored({ date: 'Mon, 01 Jan 2024 00:00:00 GMT', age: '100' }),
      new Headers(),
      now,
      now,
    )
    expect(after.headers.date).toBe(new Date(now).toUTCString())
    expect(after.headers).not.toHaveProperty('age')
  })
})

describe('a stored response as served (§4, §5.1)', () => {
  it('keeps its stored Date and carries the Age it has now', () => {
    const stale = 'Tue, 24 Nov 2026 11:59:00 GMT'
    const headers = servedHeaders(stored({ date: stale, age: '5', etag: '"a"' }), now + 30_000)
    expect(headers.get('date')).toBe(stale)
    // The larger of its Age (5) and its Date's distance from its arrival (60), plus 30 s held.
    expect(headers.get('age')).toBe(String(60 + 30))
    expect(headers.get('etag')).toBe('"a"')
  })

  it('keeps none of the fields a cache never stores', () => {
    const head = newHead(
      new Headers({
        'set-cookie': 'a=b',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'x-kept': '1',
      }),
      now,
      now,
    )
    expect(Object.keys(head.headers)).toEqual(['x-kept'])
  })
})

describe("the caller's own validators against a fresh entry (§4.3.2)", () => {
  const head = stored({ etag: '"a, b"', 'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT' })
  it('If-None-Match, whole entity-tags compared weakly, * matching any', () => {
    expect(callerValidatorsMatch(head, new Headers({ 'if-none-match': '"x", W/"a, b"' }))).toBe(true)
    expect(callerValidatorsMatch(head, new Headers({ 'if-none-match': '*' }))).toBe(true)
    expect(callerValidatorsMatch(head, new Headers({ 'if-none-match': '"a"' }))).toBe(false)
  })

  it('If-Modified-Since only without If-None-Match', () => {
    expect(
      callerValidatorsMatch(head, new Headers({ 'if-modified-since': 'Tue, 24 Nov 2026 10:00:00 GMT' })),
    ).toBe(true)
    expect(
      callerValidatorsMatch(head, new Headers({ 'if-modified-since': 'Tue, 24 Nov 2026 09:00:00 GMT' })),
    ).toBe(false)
    expect(callerValidatorsMatch(head, new Headers({ 'if-modified-since': 'garbage' }))).toBe(false)
    const both = new Headers({ 'if-none-match': '"z"', 'if-modified-since': 'Tue, 24 Nov 2026 10:00:00 GMT' })
    expect(callerValidatorsMatch(head, both)).toBe(false)
  })
})
