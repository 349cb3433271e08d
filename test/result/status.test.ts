import { describe, expect, it } from 'vitest'
import { classifyStatus } from '../../src/call/classify.ts'
import { createClient, isHttpStatus, STATUS_NAMES, statusName } from '../../src/index.ts'
import { fakeFetch } from '../support/fake-fetch.ts'

describe('status names', () => {
  it('has every code of the IANA registry', () => {
    expect(Object.keys(STATUS_NAMES).map(Number)).toEqual([
      100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306,
      307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
      421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    ])
  })

  it("uses RFC 9110's names", () => {
    expect(statusName(413)).toBe('Content Too Large')
    expect(statusName(422)).toBe('Unprocessable Content')
  })

  it("falls back to the server's reason phrase for an unregistered code, then to nothing", () => {
    expect(statusName(499, 'Client Closed Request')).toBe('Client Closed Request')
    expect(statusName(299)).toBe('')
  })
})

describe('classifyStatus', () => {
  it.each([
    [100, 'informational'],
    [199, 'informational'],
    [200, 'success'],
    [299, 'success'],
    [300, 'redirect'],
    [304, 'not-modified'],
    [399, 'redirect'],
    [400, 'client-error'],
    [499, 'client-error'],
    [500, 'server-error'],
    [599, 'server-error'],
    [99, null],
    [600, null],
    [0, null],
    [-200, null],
    [200.5, null],
    [Number.NaN, null],
  ])('%d is %s', (status, kind) => {
    expect(classifyStatus(status)).toBe(kind)
    expect(isHttpStatus(status)).toBe(kind !== null)
  })
})

describe('what a transport may surface that fetch cannot', () => {
  it.each([0, 99, 600, 999])(
    'status %i is invalid-response, status-out-of-range, with its body discarded',
    async (status) => {
      let cancelled = false
      const body = new ReadableStream({
        cancel: () => {
          cancelled = true
        },
      })
      const fetch = async () =>
        ({ status, statusText: 'Weird', headers: new Headers(), body }) as unknown as Response
      const result = await createClient({ fetch }).get('http://odd.test/')
      expect(result).toMatchObject({
        kind: 'invalid-response',
        reason: 'status-out-of-range',
        status,
        text: null,
      })
      expect(cancelled).toBe(true)
    },
  )

  it.each([204, 205])('%i has no body even when the server sends one', async (status) => {
    const result = await createClient({ fetch: fakeFetch(status, { body: 'ignored' }) }).get(
      'http://odd.test/',
    )
    expect(result).toMatchObject({ kind: 'success', status, data: undefined })
  })

  it("an unregistered status keeps the server's reason phrase", async () => {
    const fetch = async () => ({
      status: 499,
      statusText: 'Client Closed Request',
      headers: new Headers(),
      body: null,
    })
    const result = await createClient({ fetch: fetch as never }).get('http://odd.test/')
    expect(result).toMatchObject({ kind: 'client-error', status: 499, statusText: 'Client Closed Request' })
  })
})
