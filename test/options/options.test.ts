import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { bodyHandlers } from '../../mocks/index.ts'
import type { OptionNames } from '../../src/ground/validate.ts'
import { createClient, HttpError, request } from '../../src/index.ts'
import { mergeSearchParams } from '../../src/options/headers.ts'
import { CLIENT_NAMES, REQUEST_NAMES } from '../../src/options/names.ts'
import { hangingFetch, scriptedFetch, status } from '../support/fake-fetch.ts'
import { useMockServer } from '../support/msw.ts'

const origin = 'http://options.test'
useMockServer(...bodyHandlers(origin))

async function echoed(result: Promise<unknown>) {
  const settled = (await result) as { kind: string; data: { url: string; headers: Record<string, string> } }
  if (settled.kind !== 'success') throw new Error(settled.kind)
  return settled.data
}

describe('baseUrl', () => {
  it('resolves a relative path under the base path, with or without a trailing slash', async () => {
    for (const baseUrl of [`${origin}/api`, `${origin}/api/`, new URL(`${origin}/api`)]) {
      const client = createClient({ baseUrl })
      expect((await echoed(client.get('echo'))).url).toBe(`${origin}/api/echo`)
    }
  })

  it('resolves an absolute path against the origin, as URL resolution does', async () => {
    const client = createClient({ baseUrl: `${origin}/api` })
    expect((await echoed(client.get('/echo'))).url).toBe(`${origin}/echo`)
  })

  it('leaves an absolute URL alone', async () => {
    const client = createClient({ baseUrl: 'http://elsewhere.test/' })
    expect((await echoed(client.get(`${origin}/echo`))).url).toBe(`${origin}/echo`)
  })

  it('can be set per request', async () => {
    const client = createClient({ baseUrl: 'http://elsewhere.test/' })
    expect((await echoed(client.get('echo', { baseUrl: origin }))).url).toBe(`${origin}/echo`)
  })
})

describe('a call that names no options', () => {
  // client.get(url) skips checking and merging options it cannot have: it must send exactly
  // what the same call with an empty init sends, whatever the client's own options.
  it("sends what the same call with {} sends, the client's options applied alike", async () => {
    const clients = [
      createClient({ baseUrl: origin, searchParams: { key: 'k1' } }),
      createClient({ baseUrl: origin, headers: { authorization: 'Bearer t', 'x-team': 'a' } }),
      // Off its baseUrl's origin, a client's credentials stay at home.
      createClient({ baseUrl: 'http://elsewhere.test/', headers: { authorization: 'Bearer t' } }),
      createClient({ baseUrl: origin, responseType: 'json' }),
    ]
    for (const client of clients) {
      for (const target of [`${origin}/echo?page=2`, `${origin}/echo`]) {
        const [alone, empty] = await Promise.all([client.get(target), client.get(target, {})])
        expect([alone.kind, empty.kind]).toEqual(['success', 'success'])
        if (alone.kind !== 'success' || empty.kind !== 'success') continue
        expect(alone.data).toEqual(empty.data)
        expect(alone.meta.request).toEqual(empty.meta.request)
      }
    }
  })
})

describe('searchParams', () => {
  it("merges the client's and the request's into the URL's own query", async () => {
    const client = createClient({ baseUrl: origin, searchParams: { key: 'k1', lang: 'en' } })
    const { url } = await echoed(
      client.get('/echo?page=2', { searchParams: { lang: 'fr', flag: true, skip: undefined } }),
    )
    expect(Object.fromEntries(new URL(url).searchParams)).toEqual({
      page: '2',
      key: 'k1',
      lang: 'fr',
      flag: 'true',
    })
  })

  it('keeps repeated names from a URLSearchParams, a string or pairs', async () => {
    const client = createClient({ baseUrl: origin })
    for (const searchParams of [
      'a=1&a=2',
      new URLSearchParams('a=1&a=2'),
      [
        ['a', '1'],
        ['a', '2'],
      ] as const,
    ]) {
      const { url } = await echoed(client.get('/echo', { searchParams }))
      expect(new URL(url).searchParams.getAll('a')).toEqual(['1', '2'])
    }
  })

  it('sends every value of a record, in order, each name replacing what was there', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(value, fc.array(value))),
        fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.string())),
        (record, before) => {
          const params = mergeSearchParams(new URLSearchParams(before), record)
          for (const [name, sent] of Object.entries(record)) {
            expect(params.getAll(name)).toEqual((Array.isArray(sent) ? sent : [sent]).map(String))
          }
          for (const [name] of before) {
            if (!Object.hasOwn(record, name)) expect(params.has(name)).toBe(true)
          }
        },
      ),
    )
  })

  it("repeats a name for each value of an array in a record, replacing the client's (issue 38)", async () => {
    const client = createClient({ baseUrl: origin, searchParams: { tag: 'old', lang: 'en' } })
    const { url } = await echoed(
      client.get('/echo?tag=kept', { searchParams: { tag: ['a', 2, false], lang: [] } }),
    )
    expect([...new URL(url).searchParams]).toEqual([
      ['tag', 'a'],
      ['tag', '2'],
      ['tag', 'false'],
    ])
  })
})

describe('an option given as undefined is an option not given (issue 38)', () => {
  // What exactOptionalPropertyTypes lets a caller write, `{ timeout: config.timeout }`, as the types now allow.
  const given = (names: OptionNames, path: string[] = []): string[][] =>
    Object.entries(names).flatMap(([name, nested]) => [
      [...path, name],
      ...(nested === true ? [] : given(nested, [...path, name])),
    ])
  const options = (path: string[]): Record<string, unknown> =>
    path.reduceRight<unknown>((value, name) => ({ [name]: value }), undefined) as Record<string, unknown>

  it.each(given(CLIENT_NAMES).filter((path) => path.length === 1))('client option %s', async (name) => {
    const client = createClient({ ...options([name]), cache: false })
    expect((await client.get(`${origin}/echo`)).kind).toBe('success')
  })

  it.each(given(REQUEST_NAMES).filter((path) => path.length === 1))('request option %s', async (name) => {
    expect((await createClient({ cache: false }).get(`${origin}/echo`, options([name]))).kind).toBe('success')
  })

  it.each(given(CLIENT_NAMES).filter((path) => path.length > 1))('client option %s.%s', async (...path) => {
    expect(() => createClient(options(path))).not.toThrow()
  })
})

describe('headers', () => {
  it("sends the client's defaults, overridden or removed by the request's", async () => {
    const client = createClient({ baseUrl: origin, headers: { 'x-team': 'core', authorization: 'Bearer t' } })
    const { headers } = await echoed(
      client.get('/echo', { headers: { 'X-Team': 'edge', authorization: undefined, 'x-request-id': '7' } }),
    )
    expect(headers).toMatchObject({ 'x-team': 'edge', 'x-request-id': '7' })
    expect(headers).not.toHaveProperty('authorization')
  })

  it('accepts Headers and pairs', async () => {
    const client = createClient({ baseUrl: origin, headers: new Headers({ a: '1' }) })
    expect((await echoed(client.get('/echo', { headers: [['b', '2']] }))).headers).toMatchObject({
      a: '1',
      b: '2',
    })
  })
})

describe('the bare request export', () => {
  it('makes a one-off call with default options', async () => {
    expect(await request(`${origin}/json`)).toMatchObject({ kind: 'success', data: { name: 'Ada' } })
  })
})

describe('programming mistakes throw a TypeError at the call, naming the option', () => {
  const client = createClient({ baseUrl: origin })
  const cases: [string, () => unknown, RegExp][] = [
    ['an invalid URL', () => createClient().get('http://'), /invalid URL "http:\/\/"/],
    ['a relative URL without baseUrl', () => createClient().get('/users'), /needs the baseUrl option/],
    ['a non-http URL', () => client.get('file:///etc/passwd'), /only http: and https:/],
    ['a URL of the wrong type', () => client.get(42 as never), /must be a string or a URL, got 42/],
    ['baseUrl not absolute', () => createClient({ baseUrl: '/api' }), /"baseUrl" must be an absolute http/],
    [
      'a method with a space',
      () => client.request('/echo', { method: 'GET X' }),
      /"method" must be an HTTP method/,
    ],
    [
      'a forbidden method',
      () => client.request('/echo', { method: 'connect' }),
      /"method" must be a method fetch/,
    ],
    [
      'a header value with CR LF',
      () => client.get('/echo', { headers: { 'x-a': 'v\r\nx-b: 1' } }),
      /"headers".*"x-a"/,
    ],
    [
      'a header name with a space',
      () => client.get('/echo', { headers: { 'x a': 'v' } }),
      /"headers".*"x a"/,
    ],
    [
      'json and body together',
      () => client.post('/echo', { json: 1, body: 'x' }),
      /"json" and "body" cannot/,
    ],
    ['a body on GET', () => client.get('/echo', { body: 'x' } as never), /GET request cannot have a body/],
    [
      'json that cannot be serialised',
      () => client.post('/echo', { json: { n: 1n } }),
      /"json" cannot be serialised/,
    ],
    [
      'json of a function',
      () => client.post('/echo', { json: () => 1 }),
      /"json" must be a JSON-serialisable/,
    ],
    [
      'an unknown responseType',
      () => client.get('/echo', { responseType: 'xml' as never }),
      /"responseType" must be/,
    ],
    [
      'a negative timeout',
      () => client.get('/echo', { timeout: { attempt: -1 } }),
      /"timeout.attempt" must be/,
    ],
    [
      'a timeout past the timer limit',
      () => createClient({ timeout: { total: 2 ** 31 } }),
      /"timeout.total"/,
    ],
    [
      'a negative timeout shorthand',
      () => client.get('/echo', { timeout: -5 }),
      /"timeout" must be a number of milliseconds/,
    ],
    [
      'a retry shorthand that is no whole number',
      () => client.get('/echo', { retry: 2.5 }),
      /"retry" must be a whole/,
    ],
    ['a negative retry shorthand', () => createClient({ retry: -1 }), /"retry" must be a whole/],
    [
      'a signal that is not one',
      () => client.get('/echo', { signal: {} as never }),
      /"signal" must be an AbortSignal/,
    ],
    [
      'a fetch that is not a function',
      () => createClient({ fetch: 'x' as never }),
      /"fetch" must be a fetch/,
    ],
    [
      'a searchParams value object',
      () => client.get('/echo', { searchParams: { a: {} as never } }),
      /"searchParams.a"/,
    ],
    [
      'an object inside a searchParams array',
      () => client.get('/echo', { searchParams: { a: ['1', {} as never] } }),
      /"searchParams.a\[1\]"/,
    ],
  ]
  it.each(cases)('%s', (_name, act, message) => {
    expect(act).toThrow(TypeError)
    expect(act).toThrow(message)
  })
})

describe("ky's and got's shorthands", () => {
  it('retry: n is the most retries, the rest of the policy kept', async () => {
    const { fetch, requests } = scriptedFetch(status(503))
    const client = createClient({
      fetch,
      retry: { backoff: { initial: 1, max: 1, jitter: 'none' }, budget: false },
    })
    const result = await client.get('http://api.test/', { retry: 2 })
    expect(result).toMatchObject({ kind: 'server-error', status: 503 })
    expect(requests).toHaveLength(3)
    expect(result.meta.attempts.map((attempt) => attempt.delay)).toEqual([1, 1, 0])
    const none = await createClient({ fetch, retry: 0 }).get('http://api.test/')
    expect(none.meta.attempts).toHaveLength(1)
  })

  it('timeout: n is the attempt deadline, the total one kept', async () => {
    vi.useFakeTimers()
    try {
      const client = createClient({ fetch: hangingFetch, retry: false, timeout: { total: 60_000 } })
      const pending = client.get('http://api.test/', { timeout: 1000 })
      await vi.advanceTimersByTimeAsync(1000)
      expect(await pending).toMatchObject({ kind: 'timeout', phase: 'attempt', limit: 1000 })
      // The client's total deadline still holds over attempts of the shorthand's length.
      const retried = createClient({
        fetch: hangingFetch,
        timeout: { total: 2500 },
        retry: {
          limit: 10,
          backoff: { initial: 1, max: 1, jitter: 'none' },
          budget: false,
          networkErrors: true,
        },
      })
      const slow = retried.get('http://api.test/', { timeout: 1000 })
      await vi.advanceTimersByTimeAsync(2500)
      expect(await slow).toMatchObject({ kind: 'timeout', phase: 'total', limit: 2500 })
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('throwOn', () => {
  it('rejects the call with an HttpError carrying the result, for the kinds it lists', async () => {
    const { fetch } = scriptedFetch(status(503), status(200), status(404))
    const client = createClient({ fetch, retry: false, throwOn: ['server-error', 'network-error'] })
    const rejected = client.post('http://api.test/orders', { json: {} })
    await expect(rejected).rejects.toBeInstanceOf(HttpError)
    await expect(rejected).rejects.toMatchObject({ kind: 'server-error', result: { status: 503 } })
    expect(await client.get('http://api.test/')).toMatchObject({ kind: 'success' })
    // A request's list replaces the client's.
    const rejectedToo = client.get('http://api.test/', { throwOn: ['client-error'] })
    await expect(rejectedToo).rejects.toMatchObject({ kind: 'client-error' })
  })

  it('is checked at the call', () => {
    const client = createClient({ fetch: scriptedFetch(status(200)).fetch })
    expect(() => createClient({ throwOn: ['success' as never] })).toThrow(/"throwOn"/)
    expect(() => client.get('http://api.test/', { throwOn: 'server-error' as never })).toThrow(/"throwOn"/)
  })
})

describe('option names (issue 36)', () => {
  const url = 'http://names.test/'
  const client = () =>
    createClient({
      transport: async () => ({ status: 204, statusText: '', headers: new Headers(), body: null }),
    })

  it.each([
    [{ prefixUrl: 'http://a.test/' }, /unknown option "prefixUrl"; fetchkind calls it "baseUrl"/],
    [{ throwHttpErrors: false }, /"throwHttpErrors"; fetchkind calls it "throwOn"/],
    [{ basUrl: 'http://a.test/' }, /unknown option "basUrl"; did you mean "baseUrl"\?/],
    [{ retry: { limt: 3 } }, /unknown option "retry.limt"; did you mean "retry.limit"\?/],
    [{ redirect: { folow: 'never' } }, /unknown option "redirect.folow"; did you mean "redirect.follow"\?/],
    [{ retry: { backoff: { base: 10 } } }, /unknown option "retry.backoff.base"$/],
    [{ hooks: { afterResponse: [] } }, /"hooks.afterResponse"; fetchkind calls it "hooks.afterResult"/],
    [{ cache: { maxsize: 10 } }, /"cache.maxsize"; did you mean "cache.maxSize"\?/],
    [{ circuitBreaker: { breakduration: 10 } }, /"circuitBreaker.breakduration"; did you mean/],
    [{ blockPrivateAddresses: { alow: [] } }, /"blockPrivateAddresses.alow"; did you mean/],
  ])('createClient(%o) is a TypeError naming it, and extend() too', (options, message) => {
    expect(() => createClient(options as never)).toThrow(TypeError)
    expect(() => createClient(options as never)).toThrow(message)
    expect(() => client().extend(options as never)).toThrow(message)
  })

  it.each([
    [{ params: { q: 1 } }, /"params"; fetchkind calls it "searchParams"/],
    [{ timeout: { request: 1000 } }, /"timeout.request"; fetchkind calls it "timeout.total"/],
    [{ retry: { retries: 2 } }, /"retry.retries"; fetchkind calls it "retry.limit"/],
    [{ credentials: 'include' }, /"credentials"; it is fetch's, and means nothing here/],
    [{ methd: 'POST' }, /did you mean "method"\?/],
  ])('a request with %o is a TypeError at the call', (init, message) => {
    expect(() => client().get(url, init as never)).toThrow(message)
  })

  it("takes the names it documents, fetch's harmless duplex, and checks pagination's too", async () => {
    const result = await client().get(url, {
      baseUrl: 'http://names.test/',
      timeout: { attempt: 1000, total: 2000 },
      retry: {
        limit: 1,
        backoff: { initial: 10, max: 20, factor: 2, jitter: 'none' },
        budget: { ratio: 0.5 },
      },
      redirect: { follow: 'never', max: 1 },
      hooks: { beforeRequest: [] },
      duplex: 'half',
    } as never)
    expect(result.kind).toBe('success')
    expect(() => client().paginate(url, {}, { nxt: () => null } as never)).toThrow(
      /"pagination.nxt"; did you mean "pagination.next"\?/,
    )
  })

  it('any other name is a TypeError that names it, never another error (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (name) => {
        fc.pre(!Object.hasOwn(CLIENT_NAMES, name) && name !== '__proto__')
        expect(() => createClient({ [name]: 1 } as never)).toThrow(`unknown option "${name}"`)
      }),
      { numRuns: 2_000 },
    )
    expect(() => createClient({ constructor: 1, toString: 1 } as never)).toThrow(
      'unknown option "constructor"',
    )
  })
})
