import { describe, expect, it } from 'vitest'
import { SEED_STATUSES, seedStatusHandlers } from '../../mocks/index.ts'
import { createClient, type Result, STATUS_NAMES } from '../../src/index.ts'
import { fakeFetch } from '../support/fake-fetch.ts'
import { useMockServer } from '../support/msw.ts'

const origin = 'http://seed-statuses.test'
useMockServer(...seedStatusHandlers(origin))
// Classification is under test here: 3xx are returned rather than followed and nothing is retried
// (test/redirect.test.ts and test/retry.test.ts cover those).
const client = createClient({ baseUrl: origin, redirect: { follow: 'never' }, retry: false })

type Expectation = { kind: Result['kind']; name: string; data: unknown }
const expected: Record<(typeof SEED_STATUSES)[number], Expectation> = {
  100: { kind: 'informational', name: 'Continue', data: 'no body' },
  101: { kind: 'informational', name: 'Switching Protocols', data: 'no body' },
  200: { kind: 'success', name: 'OK', data: { status: 200 } },
  201: { kind: 'success', name: 'Created', data: { id: 42 } },
  202: { kind: 'success', name: 'Accepted', data: { status: 202 } },
  204: { kind: 'success', name: 'No Content', data: undefined },
  301: { kind: 'redirect', name: 'Moved Permanently', data: 'not read' },
  302: { kind: 'redirect', name: 'Found', data: 'not read' },
  304: { kind: 'not-modified', name: 'Not Modified', data: 'no body' },
  400: { kind: 'client-error', name: 'Bad Request', data: { status: 400 } },
  401: { kind: 'client-error', name: 'Unauthorized', data: { status: 401 } },
  403: { kind: 'client-error', name: 'Forbidden', data: { status: 403 } },
  404: { kind: 'client-error', name: 'Not Found', data: { status: 404 } },
  405: { kind: 'client-error', name: 'Method Not Allowed', data: { status: 405 } },
  409: { kind: 'client-error', name: 'Conflict', data: { status: 409 } },
  422: {
    kind: 'client-error',
    name: 'Unprocessable Content',
    data: {
      type: 'https://errors.example/validation',
      title: 'Invalid name',
      status: 422,
      detail: 'name is empty',
    },
  },
  429: { kind: 'client-error', name: 'Too Many Requests', data: { status: 429 } },
  500: { kind: 'server-error', name: 'Internal Server Error', data: { status: 500 } },
  501: { kind: 'server-error', name: 'Not Implemented', data: { status: 501 } },
  502: { kind: 'server-error', name: 'Bad Gateway', data: { status: 502 } },
  503: { kind: 'server-error', name: 'Service Unavailable', data: { status: 503 } },
  504: { kind: 'server-error', name: 'Gateway Timeout', data: { status: 504 } },
}

async function call(status: number): Promise<Result> {
  // A Response cannot carry a 1xx status; a transport that surfaces one is faked.
  if (status < 200)
    return createClient({ baseUrl: origin, fetch: fakeFetch(status) }).get(`/status/${status}`)
  return client.get(`/status/${status}`)
}

describe.each(SEED_STATUSES)('status %i', (status) => {
  const { kind, name, data } = expected[status]

  it(`is kind '${kind}' named '${name}'`, async () => {
    const result = await call(status)
    expect(result.kind).toBe(kind)
    expect(result).toMatchObject({ status, statusText: name })
    expect(STATUS_NAMES[status]).toBe(name)
  })

  const title = { 'no body': 'carries no body', 'not read': 'is answered without reading its body' }
  it(title[data as keyof typeof title] ?? 'decodes its body', async () => {
    const result = await call(status)
    if (data === 'no body') expect(result).not.toHaveProperty('data')
    else if (data === 'not read') expect(result).toHaveProperty('data', undefined)
    else expect(result).toHaveProperty('data', data)
  })

  it('records one attempt and the request in meta', async () => {
    const result = await call(status)
    expect(result.meta.request).toEqual({ method: 'GET', url: `${origin}/status/${status}` })
    expect(result.meta.attempts).toHaveLength(1)
    expect(result.meta.attempts[0]).toMatchObject({ status, error: null, delay: 0, delayReason: null })
    expect(result.meta.redirects).toEqual([])
    // Looked up, nothing stored: none of these responses carries freshness or a validator.
    expect(result.meta.cache).toBe('miss')
    expect(result.meta.duration).toBeGreaterThanOrEqual(0)
  })
})

describe('fields particular to a status', () => {
  it('201 exposes Location resolved against the request URL', async () => {
    const result = await client.post('/status/201', { json: { name: 'x' } })
    expect(result.kind).toBe('success')
    if (result.kind !== 'success') return
    expect(result.location?.href).toBe(`${origin}/items/42`)
  })

  it('a 200 without Location has location null', async () => {
    const result = await client.get('/status/200')
    expect(result).toMatchObject({ kind: 'success', location: null })
  })

  it.each([301, 302])(
    '%i is a redirect with its Location and the reason it was not followed',
    async (status) => {
      const result = await client.get(`/status/${status}`)
      expect(result).toMatchObject({ kind: 'redirect', reason: 'policy' })
      if (result.kind !== 'redirect') return
      expect(result.location?.href).toBe(`${origin}/moved-here`)
    },
  )

  it('304 keeps its headers', async () => {
    const result = await client.get('/status/304')
    expect(result.kind).toBe('not-modified')
    if (result.kind === 'not-modified') expect(result.headers.get('etag')).toBe('"v1"')
  })

  it.each([429, 503])('%i parses Retry-After', async (status) => {
    const before = Date.now()
    const result = await client.get(`/status/${status}`)
    if (result.kind !== 'client-error' && result.kind !== 'server-error') throw new Error(result.kind)
    expect(result.retryAfter?.ms).toBe(7000)
    expect(result.retryAfter?.at.getTime()).toBeGreaterThanOrEqual(before + 7000)
  })

  it('a 4xx without Retry-After has retryAfter null and problem null', async () => {
    const result = await client.get('/status/404')
    expect(result).toMatchObject({ kind: 'client-error', retryAfter: null, problem: null })
  })

  it('422 with application/problem+json exposes the RFC 9457 problem', async () => {
    const result = await client.get('/status/422')
    expect(result).toMatchObject({
      kind: 'client-error',
      problem: {
        type: 'https://errors.example/validation',
        title: 'Invalid name',
        status: 422,
        detail: 'name is empty',
      },
    })
  })

  it('HEAD has no body whatever the status', async () => {
    const result = await client.head('/status/200')
    expect(result).toMatchObject({ kind: 'success', status: 200, data: undefined })
    expect(result.meta.request.method).toBe('HEAD')
  })
})
