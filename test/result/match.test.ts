import { describe, expect, it } from 'vitest'
import { HttpError, isKind, isSuccess, match, type Result, unwrap, unwrapOr } from '../../src/index.ts'

const meta = {
  request: { method: 'GET', url: 'http://m.test/x' },
  attempts: [],
  redirects: [],
  cache: 'bypass',
  retryStop: null,
  cooldown: null,
  storeFallbacks: [],
  breaker: null,
  concurrency: null,
  duration: 1,
} as const
const headers = new Headers()
const ok: Result<string> = {
  kind: 'success',
  ok: true,
  status: 200,
  statusText: 'OK',
  headers,
  meta,
  data: 'hi',
  location: null,
}
const notFound: Result<string> = {
  kind: 'client-error',
  ok: false,
  status: 404,
  statusText: 'Not Found',
  headers,
  meta,
  data: null,
  problem: null,
  retryAfter: null,
}
const conflict: Result<string> = { ...notFound, status: 409, statusText: 'Conflict' } as Result<string>
const moved: Result<string> = {
  kind: 'redirect',
  ok: false,
  status: 301,
  statusText: 'Moved Permanently',
  headers,
  meta,
  data: undefined,
  location: null,
  reason: 'policy',
}
const notModified: Result<string> = {
  kind: 'not-modified',
  ok: false,
  status: 304,
  statusText: 'Not Modified',
  headers,
  meta,
}
const refused: Result<string> = {
  kind: 'network-error',
  ok: false,
  code: 'ECONNREFUSED',
  message: 'refused',
  error: new Error('x'),
  meta,
}
const timedOut: Result<string> = {
  kind: 'timeout',
  ok: false,
  phase: 'total',
  limit: 50,
  inherited: false,
  meta,
}

describe('match', () => {
  it('prefers an exact status, then the kind, then the class, then _', () => {
    const handlers = {
      404: () => 'status 404',
      'client-error': () => 'kind client-error',
      '4xx': () => 'class 4xx',
      '3xx': () => 'class 3xx',
      _: () => 'fallback',
    }
    expect(match(notFound, handlers)).toBe('status 404')
    expect(match(conflict, handlers)).toBe('kind client-error')
    expect(match(moved, handlers)).toBe('class 3xx')
    expect(match(notModified, handlers)).toBe('class 3xx')
    expect(match(ok, handlers)).toBe('fallback')
    expect(match(refused, handlers)).toBe('fallback')
  })

  it('passes the result to the handler', () => {
    expect(match(ok, { success: (r) => r.data.toUpperCase(), _: () => '' })).toBe('HI')
    expect(match(timedOut, { timeout: (r) => r.phase, _: () => '' })).toBe('total')
  })

  it('covers every kind by class and kind handlers, without a fallback', () => {
    const describe = (result: Result<string>) =>
      match(result, {
        '1xx': () => 'informational',
        '2xx': () => 'ok',
        '3xx': () => 'redirect',
        '4xx': () => 'client',
        '5xx': () => 'server',
        refused: (r) => r.reason,
        'network-error': (r) => r.code,
        timeout: () => 'timeout',
        aborted: () => 'aborted',
        'invalid-response': () => 'invalid',
        'hook-error': () => 'hook',
      })
    expect([ok, notFound, moved, refused, timedOut].map(describe)).toEqual([
      'ok',
      'client',
      'redirect',
      'ECONNREFUSED',
      'timeout',
    ])
  })

  it('throws for a result no handler covers (only reachable around the types)', () => {
    expect(() => match(refused, { success: () => 1 } as never)).toThrow(
      /no handler for a result of kind "network-error"/,
    )
  })
})

describe('unwrap', () => {
  it("returns a success's data, as unwrapOr does (issue 38: it returned the Success)", () => {
    expect(unwrap(ok)).toBe((ok as { data: unknown }).data)
    expect(unwrap(ok)).toBe(unwrapOr(ok, 'fallback'))
  })

  it('throws an HttpError carrying any other result', () => {
    for (const result of [notFound, moved, notModified, refused, timedOut]) {
      let thrown: unknown
      try {
        unwrap(result)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(HttpError)
      expect(thrown).toBeInstanceOf(Error)
      expect((thrown as HttpError).result).toBe(result)
      expect((thrown as HttpError).kind).toBe(result.kind)
    }
  })

  it('says what happened in the message, and keeps a network cause', () => {
    expect(() => unwrap(notFound)).toThrow('GET http://m.test/x returned 404 Not Found (client-error)')
    expect(() => unwrap(timedOut)).toThrow('GET http://m.test/x timed out: the total timeout of 50 ms passed')
    try {
      unwrap(refused)
    } catch (error) {
      expect((error as HttpError).message).toBe('GET http://m.test/x failed: ECONNREFUSED refused')
      expect((error as HttpError).cause).toBe((refused as { error: unknown }).error)
    }
  })
})

describe('ok, the guards and unwrapOr', () => {
  const all = [ok, notFound, conflict, moved, notModified, refused, timedOut]

  it('ok is true on a success alone', () => {
    expect(all.map((result) => result.ok)).toEqual([true, false, false, false, false, false, false])
  })

  it('isSuccess and isKind pick results out of a list', () => {
    expect(all.filter(isSuccess)).toEqual([ok])
    expect(all.filter(isKind('client-error', 'server-error'))).toEqual([notFound, conflict])
    expect(all.filter(isKind('timeout')).map((result) => result.phase)).toEqual(['total'])
    expect(() => isKind()).toThrow(TypeError)
  })

  it('unwrapOr gives the data of a success, the fallback otherwise', () => {
    expect(unwrapOr(ok, 'none')).toBe('hi')
    expect(all.slice(1).map((result) => unwrapOr(result, 'none'))).toEqual(Array(6).fill('none'))
  })
})
