import { describe, expect, it } from 'vitest'
import { mayStore } from '../../src/cache/storable.ts'
import { parseCacheControl } from '../../src/http/cache-control.ts'

const store = (status: number, response: string, { method = 'GET', request = '', hasExpires = false } = {}) =>
  mayStore({
    method,
    status,
    response: parseCacheControl(response),
    request: parseCacheControl(request),
    hasExpires,
  })

describe('what a private cache may store (RFC 9111 §3)', () => {
  it.each([200, 203, 299, 400, 404, 410, 499, 500, 502, 503, 504, 599])(
    'any final status %i with explicit freshness',
    (status) => {
      expect(store(status, 'max-age=60')).toBe(true)
      expect(store(status, '', { hasExpires: true })).toBe(true)
      expect(store(status, 'public')).toBe(true)
    },
  )

  it('a heuristically cacheable status without any, and no other', () => {
    expect(store(200, '')).toBe(true)
    expect(store(404, '')).toBe(true)
    expect(store(500, '')).toBe(false)
    expect(store(201, '')).toBe(false)
  })

  it('private responses: this cache is private', () => {
    expect(store(200, 'private, max-age=60')).toBe(true)
  })

  it('nothing under no-store, from either side', () => {
    expect(store(200, 'max-age=60, no-store')).toBe(false)
    expect(store(200, 'max-age=60', { request: 'no-store' })).toBe(false)
  })

  it('must-understand stands in for no-store with a status it understands, and forbids any other (§5.2.2.3)', () => {
    expect(store(200, 'max-age=60, no-store, must-understand')).toBe(true)
    expect(store(599, 'max-age=60, no-store, must-understand')).toBe(false)
  })

  it('neither an interim, partial or 304 response, nor an answer to anything but GET', () => {
    for (const status of [100, 103, 206, 304]) expect(store(status, 'max-age=60')).toBe(false)
    expect(store(200, 'max-age=60', { method: 'POST' })).toBe(false)
    expect(store(200, 'max-age=60', { method: 'HEAD' })).toBe(false)
  })
})
