import { HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { countedResource } from '../../mocks/index.ts'
import { MAX_VARIANTS } from '../../src/cache/variants.ts'
import { createClient, type Result } from '../../src/index.ts'
import { type CacheStore, MemoryStore } from '../../src/stores.ts'
import { useMockServer } from '../support/msw.ts'

const origin = 'http://cache.test'
const server = useMockServer()

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 24, 12, 0, 0), toFake: ['Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms)

/** A resource answering 200 with `headers` and a body naming the request's count, and 304 to a matching If-None-Match. */
function resource(path: string, headers: Record<string, string> = {}) {
  const counted = countedResource(origin, path, (request, count) => {
    const etag = headers.etag
    if (etag && request.headers.get('if-none-match')?.includes(etag.replace(/^W\//, ''))) {
      return new HttpResponse(null, { status: 304, headers })
    }
    if (headers['last-modified'] && request.headers.get('if-modified-since') === headers['last-modified']) {
      return new HttpResponse(null, { status: 304, headers })
    }
    return HttpResponse.json({ count }, { headers })
  })
  server.use(counted.handler)
  return counted.requests
}

const client = () => createClient({ baseUrl: origin, retry: false })

describe('revalidation with validators', () => {
  it('an ETag is sent back as If-None-Match, and a 304 is answered with the stored body', async () => {
    const requests = resource('/etag', { etag: '"v1"', 'cache-control': 'max-age=0' })
    const api = client()
    const first = await api.get('/etag')
    const second = await api.get('/etag')
    expect(first).toMatchObject({ kind: 'success', data: { count: 1 }, meta: { cache: 'miss' } })
    expect(second).toMatchObject({
      kind: 'success',
      status: 200,
      data: { count: 1 },
      meta: { cache: 'revalidated' },
    })
    expect(requests.map((request) => request.headers.get('if-none-match'))).toEqual([null, '"v1"'])
    expect(second.meta.attempts).toEqual([expect.objectContaining({ status: 304 })])
  })

  it('a Last-Modified is sent back as If-Modified-Since', async () => {
    const lastModified = 'Tue, 24 Nov 2026 10:00:00 GMT'
    const requests = resource('/dated', { 'last-modified': lastModified, 'cache-control': 'no-cache' })
    const api = client()
    await api.get('/dated')
    const second = await api.get('/dated')
    expect(second).toMatchObject({ kind: 'success', data: { count: 1 }, meta: { cache: 'revalidated' } })
    expect(requests[1]?.headers.get('if-modified-since')).toBe(lastModified)
  })

  it('a weak ETag revalidates too', async () => {
    const requests = resource('/weak', { etag: 'W/"w1"', 'cache-control': 'max-age=0' })
    const api = client()
    await api.get('/weak')
    expect(await api.get('/weak')).toMatchObject({ meta: { cache: 'revalidated' }, data: { count: 1 } })
    expect(requests[1]?.headers.get('if-none-match')).toBe('W/"w1"')
  })

  it('a 304 updates the stored headers', async () => {
    let version = 'first'
    const counted = countedResource(origin, '/updated', (request) => {
      const headers = { etag: '"e"', 'cache-control': 'max-age=0', 'x-version': version }
      if (request.headers.get('if-none-match') === '"e"')
        return new HttpResponse(null, { status: 304, headers })
      return HttpResponse.json({ body: 'original' }, { headers })
    })
    server.use(counted.handler)
    const api = client()
    await api.get('/updated')
    version = 'second'
    const revalidated = await api.get('/updated')
    expect(revalidated).toMatchObject({ data: { body: 'original' }, meta: { cache: 'revalidated' } })
    if (revalidated.kind === 'success') expect(revalidated.headers.get('x-version')).toBe('second')
  })

  it('a 304 whose ETag matches nothing stored is never served: the request is made again without validators', async () => {
    const counted = countedResource(origin, '/mismatch', (request, count) => {
      if (request.headers.has('if-none-match')) {
        return new HttpResponse(null, {
          status: 304,
          headers: { etag: '"other"', 'cache-control': 'max-age=0' },
        })
      }
      return HttpResponse.json({ count }, { headers: { etag: '"mine"', 'cache-control': 'max-age=0' } })
    })
    server.use(counted.handler)
    const api = client()
    await api.get('/mismatch')
    const result = await api.get('/mismatch')
    expect(result).toMatchObject({ kind: 'success', data: { count: 3 }, meta: { cache: 'miss' } })
    expect(counted.requests.map((request) => request.headers.get('if-none-match'))).toEqual([
      null,
      '"mine"',
      null,
    ])
  })

  it('a 304 with nothing stored is not-modified', async () => {
    const counted = countedResource(origin, '/stray-304', () => new HttpResponse(null, { status: 304 }))
    server.use(counted.handler)
    expect(await client().get('/stray-304')).toMatchObject({ kind: 'not-modified', meta: { cache: 'miss' } })
  })

  it("the caller's own If-None-Match is answered from a fresh entry: a 304 without a request", async () => {
    const requests = resource('/own-fresh', { etag: '"v1"', 'cache-control': 'max-age=60' })
    const api = client()
    await api.get('/own-fresh')
    const result = await api.get('/own-fresh', { headers: { 'if-none-match': 'W/"v0", "v1"' } })
    expect(result).toMatchObject({ kind: 'not-modified', status: 304, meta: { cache: 'hit' } })
    if (result.kind !== 'not-modified') throw new Error(result.kind)
    expect(result.headers.get('etag')).toBe('"v1"')
    expect(result.headers.get('cache-control')).toBe('max-age=60')
    expect(result.headers.get('content-type')).toBeNull()
    expect(requests).toHaveLength(1)
  })

  it("a fresh entry the caller's validators do not match is served whole", async () => {
    const requests = resource('/own-other', { etag: '"v2"', 'cache-control': 'max-age=60' })
    const api = client()
    await api.get('/own-other')
    const result = await api.get('/own-other', { headers: { 'if-none-match': '"v1"' } })
    expect(result).toMatchObject({ kind: 'success', status: 200, data: { count: 1 }, meta: { cache: 'hit' } })
    expect(requests).toHaveLength(1)
  })

  it('If-Modified-Since is answered from a fresh entry modified no later', async () => {
    const lastModified = 'Tue, 24 Nov 2026 10:00:00 GMT'
    const requests = resource('/own-ims', { 'last-modified': lastModified, 'cache-control': 'max-age=60' })
    const api = client()
    await api.get('/own-ims')
    const result = await api.get('/own-ims', { headers: { 'if-modified-since': lastModified } })
    expect(result).toMatchObject({ kind: 'not-modified', meta: { cache: 'hit' } })
    const older = await api.get('/own-ims', {
      headers: { 'if-modified-since': 'Mon, 23 Nov 2026 10:00:00 GMT' },
    })
    expect(older).toMatchObject({ kind: 'success', meta: { cache: 'hit' } })
    expect(requests).toHaveLength(1)
  })

  it("with a stale entry the caller's own validators go to the origin, and its 304 is theirs", async () => {
    const requests = resource('/own-stale', { etag: '"v1"', 'cache-control': 'max-age=0' })
    const api = client()
    await api.get('/own-stale')
    const result = await api.get('/own-stale', { headers: { 'if-none-match': '"v1"' } })
    expect(result).toMatchObject({ kind: 'not-modified', status: 304, meta: { cache: 'miss' } })
    expect(requests).toHaveLength(2)
    expect(requests[1]?.headers.get('if-none-match')).toBe('"v1"')
  })
})

describe('freshness (RFC 9111, private cache)', () => {
  it('a fresh entry costs no request at all, until max-age passes', async () => {
    const requests = resource('/fresh', { 'cache-control': 'max-age=60', etag: '"f"' })
    const api = client()
    await api.get('/fresh')
    const hit = await api.get('/fresh')
    expect(hit).toMatchObject({ kind: 'success', data: { count: 1 }, meta: { cache: 'hit', attempts: [] } })
    expect(requests).toHaveLength(1)
    advance(30_000)
    const aged = await api.get('/fresh')
    if (aged.kind === 'success') expect(Number(aged.headers.get('age'))).toBeGreaterThanOrEqual(30)
    advance(31_000)
    expect(await api.get('/fresh')).toMatchObject({ meta: { cache: 'revalidated' } })
    expect(requests).toHaveLength(2)
  })

  it('Expires gives freshness; an Expires in the past or garbage does not', async () => {
    const future = new Date(Date.now() + 60_000).toUTCString()
    const fresh = resource('/expires', { expires: future, date: new Date().toUTCString() })
    const past = resource('/expired', { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' })
    const garbage = resource('/garbage-expires', { expires: 'not a date' })
    const api = client()
    for (const path of ['/expires', '/expired', '/garbage-expires']) {
      await api.get(path)
      await api.get(path)
    }
    expect([fresh.length, past.length, garbage.length]).toEqual([1, 2, 2])
  })

  it('a garbage Date is taken as now', async () => {
    const requests = resource('/garbage-date', { 'cache-control': 'max-age=60', date: 'yesterday-ish' })
    const api = client()
    await api.get('/garbage-date')
    expect(await api.get('/garbage-date')).toMatchObject({ kind: 'success', meta: { cache: 'hit' } })
    expect(requests).toHaveLength(1)
  })

  it('a cached 301 answers its hop: only the target is asked again', async () => {
    const moved = countedResource(
      origin,
      '/old-home',
      () =>
        new HttpResponse(null, {
          status: 301,
          headers: { location: '/new-home', 'cache-control': 'max-age=3600' },
        }),
    )
    server.use(moved.handler)
    const target = resource('/new-home', { 'cache-control': 'no-cache', etag: '"home"' })
    const api = client()
    await api.get('/old-home')
    const second = await api.get('/old-home')
    expect(second).toMatchObject({
      kind: 'success',
      meta: { cache: 'revalidated', redirects: [{ status: 301 }] },
    })
    expect([moved.requests.length, target.length]).toEqual([1, 2])
  })

  it('an Age header counts against max-age', async () => {
    const requests = resource('/aged', { 'cache-control': 'max-age=60', age: '59' })
    const api = client()
    await api.get('/aged')
    advance(2000)
    await api.get('/aged')
    expect(requests).toHaveLength(2)
  })

  it('no-cache stores but revalidates every time', async () => {
    const requests = resource('/no-cache', { 'cache-control': 'no-cache', etag: '"n"' })
    const api = client()
    await api.get('/no-cache')
    expect(await api.get('/no-cache')).toMatchObject({ meta: { cache: 'revalidated' } })
    expect(requests).toHaveLength(2)
  })

  it('must-revalidate is revalidated once stale', async () => {
    const requests = resource('/must', { 'cache-control': 'max-age=1, must-revalidate', etag: '"m"' })
    const api = client()
    await api.get('/must')
    advance(2000)
    expect(await api.get('/must')).toMatchObject({ meta: { cache: 'revalidated' } })
    expect(requests).toHaveLength(2)
  })

  it('private responses are stored: this is a private cache', async () => {
    const requests = resource('/private', { 'cache-control': 'private, max-age=60' })
    const api = client()
    await api.get('/private')
    expect(await api.get('/private')).toMatchObject({ meta: { cache: 'hit' } })
    expect(requests).toHaveLength(1)
  })

  it('no-store is never stored, and removes what was', async () => {
    let noStore = false
    const counted = countedResource(origin, '/no-store', (_request, count) =>
      HttpResponse.json(
        { count },
        { headers: { 'cache-control': noStore ? 'no-store' : 'max-age=0', etag: `"${count}"` } },
      ),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/no-store')
    noStore = true
    await api.get('/no-store')
    const third = await api.get('/no-store')
    expect(counted.requests.map((request) => request.headers.get('if-none-match'))).toEqual([
      null,
      '"1"',
      null,
    ])
    expect(third).toMatchObject({ data: { count: 3 }, meta: { cache: 'miss' } })
  })

  it('a response without freshness or validators is not kept', async () => {
    const requests = resource('/plain')
    const api = client()
    await api.get('/plain')
    expect(await api.get('/plain')).toMatchObject({ meta: { cache: 'miss' } })
    expect(requests[1]?.headers.has('if-none-match')).toBe(false)
  })

  it.each([
    'max-age=abc',
    'max-age=60,,=,',
    '"max-age=60"',
    'max-age=-5',
    'no-cache=',
    'max-age=99999999999999999999',
  ])('survives Cache-Control %j', async (cacheControl) => {
    resource('/odd-cc', { 'cache-control': cacheControl, etag: '"o"' })
    const api = client()
    expect((await api.get('/odd-cc')).kind).toBe('success')
    expect((await api.get('/odd-cc')).kind).toBe('success')
  })

  it('survives duplicate and garbage ETags', async () => {
    resource('/odd-etag', { etag: '"a", "b"', 'cache-control': 'max-age=0' })
    resource('/garbage-etag', { etag: 'unquoted garbage', 'cache-control': 'max-age=0' })
    const api = client()
    for (const path of ['/odd-etag', '/odd-etag', '/garbage-etag', '/garbage-etag']) {
      expect((await api.get(path)).kind).toBe('success')
    }
  })
})

describe('Vary', () => {
  it("serves an entry only to requests with the same Vary'd headers", async () => {
    const requests = resource('/vary', { 'cache-control': 'max-age=60', vary: 'Accept-Language' })
    const api = client()
    await api.get('/vary', { headers: { 'accept-language': 'en' } })
    expect(await api.get('/vary', { headers: { 'accept-language': 'en' } })).toMatchObject({
      meta: { cache: 'hit' },
    })
    expect(await api.get('/vary', { headers: { 'accept-language': 'fr' } })).toMatchObject({
      meta: { cache: 'miss' },
    })
    expect(requests).toHaveLength(2)
  })

  it('keeps variants side by side: each Vary value is served its own', async () => {
    const requests = resource('/variants', { 'cache-control': 'max-age=60', vary: 'Accept-Language' })
    const api = client()
    const ask = (language: string) => api.get('/variants', { headers: { 'accept-language': language } })
    await ask('en')
    await ask('fr')
    expect(await ask('en')).toMatchObject({ data: { count: 1 }, meta: { cache: 'hit' } })
    expect(await ask('FR')).toMatchObject({ data: { count: 2 }, meta: { cache: 'hit' } })
    expect(requests).toHaveLength(2)
  })

  it(`keeps at most ${MAX_VARIANTS} variants of one URL, the oldest out first`, async () => {
    const store = new MemoryStore()
    const requests = resource('/many-variants', { 'cache-control': 'max-age=60', vary: 'x-variant' })
    const api = createClient({ baseUrl: origin, retry: false, cache: { store } })
    const ask = (variant: number) => api.get('/many-variants', { headers: { 'x-variant': String(variant) } })
    for (let variant = 0; variant <= MAX_VARIANTS; variant++) await ask(variant)
    // Each variant under a key of its own, and the latest under the URL's key too.
    expect(store.count).toBe(MAX_VARIANTS + 1)
    expect(await ask(MAX_VARIANTS - 1)).toMatchObject({ meta: { cache: 'hit' } })
    expect(await ask(0)).toMatchObject({ meta: { cache: 'miss' } })
    expect(requests).toHaveLength(MAX_VARIANTS + 2)
  })

  it('an unsafe request invalidates every variant of its URL', async () => {
    const requests = resource('/variants-invalidated', {
      'cache-control': 'max-age=60',
      vary: 'Accept-Language',
    })
    const api = client()
    const ask = (language: string) =>
      api.get('/variants-invalidated', { headers: { 'accept-language': language } })
    await ask('en')
    await ask('fr')
    await api.post('/variants-invalidated')
    await ask('en')
    expect(await ask('fr')).toMatchObject({ meta: { cache: 'miss' } })
    expect(requests.filter((request) => request.method === 'GET')).toHaveLength(4)
  })

  it('Vary: * is never served from the cache', async () => {
    const requests = resource('/vary-star', { 'cache-control': 'max-age=60', vary: '*' })
    const api = client()
    await api.get('/vary-star')
    await api.get('/vary-star')
    expect(requests).toHaveLength(2)
  })

  it('Vary naming odd or absent headers compares them as absent', async () => {
    const requests = resource('/vary-odd', { 'cache-control': 'max-age=60', vary: 'X-Nothing, , ACCEPT' })
    const api = client()
    await api.get('/vary-odd')
    expect(await api.get('/vary-odd')).toMatchObject({ meta: { cache: 'hit' } })
    expect(await api.get('/vary-odd', { headers: { accept: 'text/plain' } })).toMatchObject({
      meta: { cache: 'miss' },
    })
    expect(requests).toHaveLength(2)
  })
})

describe('stale-while-revalidate and stale-if-error', () => {
  it('stale-while-revalidate serves the stale entry at once and refreshes it once in the background', async () => {
    const requests = resource('/swr', {
      'cache-control': 'max-age=1, stale-while-revalidate=60',
      etag: '"s"',
    })
    const api = client()
    await api.get('/swr')
    advance(2000)
    const [a, b] = await Promise.all([api.get('/swr'), api.get('/swr')])
    expect(a).toMatchObject({ meta: { cache: 'stale', attempts: [] }, data: { count: 1 } })
    expect(b).toMatchObject({ meta: { cache: 'stale' } })
    await vi.waitFor(() => expect(requests).toHaveLength(2))
    expect(requests[1]?.headers.get('if-none-match')).toBe('"s"')
    await vi.waitFor(async () => expect(await api.get('/swr')).toMatchObject({ meta: { cache: 'hit' } }))
    expect(requests).toHaveLength(2)
  })

  it('stale-if-error serves the stale entry when the origin fails with 5xx', async () => {
    let failing = false
    const counted = countedResource(origin, '/sie', (_request, count) =>
      failing
        ? HttpResponse.json({ down: true }, { status: 503 })
        : HttpResponse.json({ count }, { headers: { 'cache-control': 'max-age=1, stale-if-error=60' } }),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/sie')
    advance(2000)
    failing = true
    const result = await api.get('/sie')
    expect(result).toMatchObject({ kind: 'success', data: { count: 1 }, meta: { cache: 'stale' } })
    expect(result.meta.attempts).toEqual([expect.objectContaining({ status: 503 })])
    advance(61_000)
    expect(await api.get('/sie')).toMatchObject({ kind: 'server-error', status: 503 })
  })

  it('stale-if-error serves the stale entry when the network fails', async () => {
    let failing = false
    const counted = countedResource(origin, '/sie-network', (_request, count) =>
      failing
        ? HttpResponse.error()
        : HttpResponse.json({ count }, { headers: { 'cache-control': 'max-age=1, stale-if-error=60' } }),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/sie-network')
    advance(2000)
    failing = true
    expect(await api.get('/sie-network')).toMatchObject({ kind: 'success', meta: { cache: 'stale' } })
  })

  it('without stale-if-error the failure is the result', async () => {
    let failing = false
    const counted = countedResource(origin, '/no-sie', (_request, count) =>
      failing
        ? HttpResponse.json({}, { status: 502 })
        : HttpResponse.json({ count }, { headers: { 'cache-control': 'max-age=1' } }),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/no-sie')
    advance(2000)
    failing = true
    expect(await api.get('/no-sie')).toMatchObject({
      kind: 'server-error',
      status: 502,
      meta: { cache: 'miss' },
    })
  })
})

describe('invalidation by unsafe methods', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])(
    'a successful %s invalidates its URL, Location and Content-Location',
    async (method) => {
      const item = resource('/items/1', { 'cache-control': 'max-age=60' })
      const list = resource('/items', { 'cache-control': 'max-age=60' })
      const related = resource('/related', { 'cache-control': 'max-age=60' })
      const elsewhere = countedResource('http://elsewhere.test', '/items', () =>
        HttpResponse.json({}, { headers: { 'cache-control': 'max-age=60' } }),
      )
      server.use(
        elsewhere.handler,
        countedResource(origin, '/items', (request, count) =>
          request.method === 'GET'
            ? HttpResponse.json({ count }, { headers: { 'cache-control': 'max-age=60' } })
            : HttpResponse.json(
                {},
                {
                  status: 201,
                  headers: { location: '/items/1', 'content-location': '/related' },
                },
              ),
        ).handler,
      )
      const api = client()
      for (const url of ['/items/1', '/related', 'http://elsewhere.test/items']) await api.get(url)
      await api.get('/items')
      await api.request('/items', { method })
      for (const url of ['/items/1', '/related', 'http://elsewhere.test/items']) await api.get(url)
      expect([item.length, related.length, elsewhere.requests.length]).toEqual([2, 2, 1])
      void list
    },
  )

  it('a failed unsafe request invalidates nothing', async () => {
    const item = resource('/kept', { 'cache-control': 'max-age=60' })
    server.use(countedResource(origin, '/kept-write', () => HttpResponse.json({}, { status: 500 })).handler)
    const api = client()
    await api.get('/kept')
    await api.post('/kept-write')
    await api.get('/kept')
    expect(item).toHaveLength(1)
  })
})

describe('credentials', () => {
  it('a response to one Authorization is never served to another', async () => {
    const counted = countedResource(origin, '/me', (request) =>
      HttpResponse.json(
        { user: request.headers.get('authorization') },
        { headers: { 'cache-control': 'private, max-age=60' } },
      ),
    )
    server.use(counted.handler)
    const api = client()
    const alice = await api.get('/me', { headers: { authorization: 'Bearer alice' } })
    const bob = await api.get('/me', { headers: { authorization: 'Bearer bob' } })
    const anonymous = await api.get('/me')
    expect(alice).toMatchObject({ data: { user: 'Bearer alice' } })
    expect(bob).toMatchObject({ data: { user: 'Bearer bob' }, meta: { cache: 'miss' } })
    expect(anonymous).toMatchObject({ data: { user: null }, meta: { cache: 'miss' } })
    expect(await api.get('/me')).toMatchObject({ data: { user: null }, meta: { cache: 'hit' } })
    expect(await api.get('/me', { headers: { authorization: 'Bearer bob' } })).toMatchObject({
      data: { user: 'Bearer bob' },
    })
  })

  it('nor one Cookie to another', async () => {
    const counted = countedResource(origin, '/cart', (request) =>
      HttpResponse.json(
        { cookie: request.headers.get('cookie') },
        { headers: { 'cache-control': 'max-age=60' } },
      ),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/cart', { headers: { cookie: 'sid=1' } })
    expect(await api.get('/cart', { headers: { cookie: 'sid=2' } })).toMatchObject({
      data: { cookie: 'sid=2' },
    })
    expect(await api.get('/cart', { headers: { cookie: 'sid=2' } })).toMatchObject({ meta: { cache: 'hit' } })
  })

  it('what anyone may fetch without credentials is served to a request with cookies, never one with Authorization', async () => {
    const counted = countedResource(origin, '/public-page', (request, count) =>
      HttpResponse.json(
        { count, cookie: request.headers.get('cookie') },
        { headers: { 'cache-control': 'max-age=60' } },
      ),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/public-page')
    expect(await api.get('/public-page', { headers: { cookie: 'sid=1' } })).toMatchObject({
      data: { count: 1 },
      meta: { cache: 'hit' },
    })
    expect(await api.get('/public-page', { headers: { authorization: 'Bearer alice' } })).toMatchObject({
      data: { count: 2 },
      meta: { cache: 'miss' },
    })
    // Alice's response is now the URL's latest; the anonymous one is still found, as a variant.
    expect(await api.get('/public-page', { headers: { cookie: 'sid=2' } })).toMatchObject({
      data: { count: 1 },
      meta: { cache: 'hit' },
    })
  })

  it("users' responses are kept side by side, each served to its own", async () => {
    const counted = countedResource(origin, '/mine', (request) =>
      HttpResponse.json(
        { user: request.headers.get('authorization') },
        { headers: { 'cache-control': 'private, max-age=60' } },
      ),
    )
    server.use(counted.handler)
    const api = client()
    const as = (user: string) => api.get('/mine', { headers: { authorization: `Bearer ${user}` } })
    await as('alice')
    await as('bob')
    expect(await as('alice')).toMatchObject({ data: { user: 'Bearer alice' }, meta: { cache: 'hit' } })
    expect(await as('bob')).toMatchObject({ data: { user: 'Bearer bob' }, meta: { cache: 'hit' } })
    expect(await api.get('/mine', { headers: { cookie: 'sid=1' } })).toMatchObject({
      meta: { cache: 'miss' },
    })
    expect(counted.requests).toHaveLength(3)
  })

  it('a public response to one Authorization is served to another (RFC 9111 §3.5)', async () => {
    const counted = countedResource(origin, '/catalogue', (_request, count) =>
      HttpResponse.json({ count }, { headers: { 'cache-control': 'public, max-age=60' } }),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/catalogue', { headers: { authorization: 'Bearer alice' } })
    expect(await api.get('/catalogue', { headers: { authorization: 'Bearer bob' } })).toMatchObject({
      data: { count: 1 },
      meta: { cache: 'hit' },
    })
  })
})

describe('single flight', () => {
  /** A resource that holds each request until `release`, answering with `headers`. */
  function heldResource(path: string, headers: () => Record<string, string>) {
    const held: (() => void)[] = []
    const counted = countedResource(origin, path, async (_request, count) => {
      await new Promise<void>((resolve) => held.push(resolve))
      return HttpResponse.json({ count }, { headers: headers() })
    })
    server.use(counted.handler)
    const release = () => {
      for (const go of held.splice(0)) go()
    }
    return { requests: counted.requests, held, release }
  }

  it('concurrent identical GETs share one request', async () => {
    const slow = heldResource('/slow', () => ({ 'cache-control': 'max-age=60' }))
    const api = client()
    const calls = Promise.all(Array.from({ length: 5 }, () => api.get('/slow')))
    await vi.waitFor(() => expect(slow.held).toHaveLength(1))
    slow.release()
    const results = await calls
    expect(slow.requests).toHaveLength(1)
    expect(results.map((result) => (result as { data: unknown }).data)).toEqual(Array(5).fill({ count: 1 }))
    expect(results.map((result) => result.meta.cache).sort()).toEqual(['hit', 'hit', 'hit', 'hit', 'miss'])
  })

  it('can be turned off', async () => {
    const requests = resource('/parallel', { 'cache-control': 'max-age=60' })
    const api = createClient({ baseUrl: origin, retry: false, cache: { singleFlight: false } })
    await Promise.all([api.get('/parallel'), api.get('/parallel')])
    expect(requests).toHaveLength(2)
  })

  it('followers of an uncacheable response make their own requests', async () => {
    const requests = resource('/uncacheable', { 'cache-control': 'no-store' })
    const api = client()
    const results = await Promise.all([api.get('/uncacheable'), api.get('/uncacheable')])
    expect(requests).toHaveLength(2)
    expect(results.every((result) => result.kind === 'success')).toBe(true)
  })

  it('once a URL answered with what cannot be stored, concurrent GETs of it wait for none other', async () => {
    // As Varnish's hit-for-miss: queueing behind a request whose answer will not be stored only
    // adds its time to every other caller's.
    const origin = heldResource('/polled', () => ({}))
    const api = client()
    const first = api.get('/polled')
    await vi.waitFor(() => expect(origin.held).toHaveLength(1))
    origin.release()
    expect(await first).toMatchObject({ kind: 'success', meta: { cache: 'miss' } })

    const calls = Promise.all([api.get('/polled'), api.get('/polled'), api.get('/polled')])
    // All three reach the origin while none has been answered.
    await vi.waitFor(() => expect(origin.held).toHaveLength(3))
    origin.release()
    expect((await calls).map((result) => result.kind)).toEqual(['success', 'success', 'success'])
  })

  it('a URL that answers with what may be stored again shares one request again', async () => {
    let cacheable = false
    const origin = heldResource('/flipping', () => (cacheable ? { 'cache-control': 'max-age=60' } : {}))
    const api = client()
    const first = api.get('/flipping')
    await vi.waitFor(() => expect(origin.held).toHaveLength(1))
    origin.release()
    await first
    cacheable = true
    // Not shared: the URL's last answer could not be stored. This one can, and is.
    const second = api.get('/flipping')
    await vi.waitFor(() => expect(origin.held).toHaveLength(1))
    origin.release()
    expect(await second).toMatchObject({ meta: { cache: 'miss' } })
    advance(61_000)
    const calls = Promise.all(Array.from({ length: 3 }, () => api.get('/flipping')))
    await vi.waitFor(() => expect(origin.held).toHaveLength(1))
    origin.release()
    const results = await calls
    expect(origin.requests).toHaveLength(3)
    expect(results.map((result) => (result as { data: unknown }).data)).toEqual(Array(3).fill({ count: 3 }))
  })
})

describe('cache modes', () => {
  const fresh = { 'cache-control': 'max-age=60', etag: '"x"' }
  const stale = { 'cache-control': 'max-age=0', etag: '"x"' }

  it("'no-store' neither reads nor writes", async () => {
    const requests = resource('/mode-no-store', fresh)
    const api = client()
    await api.get('/mode-no-store')
    expect(await api.get('/mode-no-store', { cache: 'no-store' })).toMatchObject({
      meta: { cache: 'bypass' },
    })
    expect(requests).toHaveLength(2)
    expect(await api.get('/mode-no-store', { cache: false })).toMatchObject({ meta: { cache: 'bypass' } })
  })

  it("'reload' goes to the network and stores what it gets", async () => {
    const requests = resource('/mode-reload', fresh)
    const api = client()
    await api.get('/mode-reload')
    expect(await api.get('/mode-reload', { cache: 'reload' })).toMatchObject({
      data: { count: 2 },
      meta: { cache: 'bypass' },
    })
    expect(await api.get('/mode-reload')).toMatchObject({ data: { count: 2 }, meta: { cache: 'hit' } })
    expect(requests[1]?.headers.has('if-none-match')).toBe(false)
    // As fetch sends it, so that caches on the way reload too.
    expect(requests[1]?.headers.get('cache-control')).toBe('no-cache')
    expect(requests[1]?.headers.get('pragma')).toBe('no-cache')
    expect(requests[0]?.headers.has('cache-control')).toBe(false)
  })

  it("'no-cache' revalidates even a fresh entry", async () => {
    const requests = resource('/mode-no-cache', fresh)
    const api = client()
    await api.get('/mode-no-cache')
    expect(await api.get('/mode-no-cache', { cache: 'no-cache' })).toMatchObject({
      meta: { cache: 'revalidated' },
    })
    expect(requests).toHaveLength(2)
    // As fetch sends it; a Cache-Control of the caller's own is left as it is.
    expect(requests[1]?.headers.get('cache-control')).toBe('max-age=0')
    await api.get('/mode-no-cache', { cache: 'no-cache', headers: { 'cache-control': 'max-age=5' } })
    expect(requests[2]?.headers.get('cache-control')).toBe('max-age=5')
  })

  it("a fresh immutable entry answers 'no-cache' without a request (RFC 8246)", async () => {
    const requests = resource('/mode-immutable', { 'cache-control': 'max-age=60, immutable', etag: '"i"' })
    const api = client()
    await api.get('/mode-immutable')
    expect(await api.get('/mode-immutable', { cache: 'no-cache' })).toMatchObject({ meta: { cache: 'hit' } })
    expect(requests).toHaveLength(1)
  })

  it("'force-cache' serves a stale entry without asking", async () => {
    const requests = resource('/mode-force', stale)
    const api = client()
    await api.get('/mode-force')
    expect(await api.get('/mode-force', { cache: 'force-cache' })).toMatchObject({ meta: { cache: 'hit' } })
    expect(requests).toHaveLength(1)
  })

  it("'only-if-cached' serves what is stored, and without an entry says so without a request", async () => {
    const requests = resource('/mode-only', stale)
    const api = client()
    const nothing = await api.get('/mode-only', { cache: 'only-if-cached' })
    expect(nothing).toMatchObject({
      kind: 'network-error',
      code: 'ERR_NOT_CACHED',
      meta: { cache: 'miss', attempts: [] },
    })
    expect(requests).toHaveLength(0)
    await api.get('/mode-only')
    expect(await api.get('/mode-only', { cache: 'only-if-cached' })).toMatchObject({
      kind: 'success',
      meta: { cache: 'hit' },
    })
    expect(requests).toHaveLength(1)
  })

  it('a client mode applies to every request', async () => {
    const requests = resource('/client-mode', fresh)
    const api = createClient({ baseUrl: origin, retry: false, cache: { mode: 'no-cache' } })
    await api.get('/client-mode')
    await api.get('/client-mode')
    expect(requests).toHaveLength(2)
  })

  it('cache: false on the client turns the cache off', async () => {
    const requests = resource('/off', fresh)
    const api = createClient({ baseUrl: origin, retry: false, cache: false })
    await api.get('/off')
    expect(await api.get('/off')).toMatchObject({ meta: { cache: 'bypass' } })
    expect(requests).toHaveLength(2)
  })

  it('an unknown mode throws a TypeError naming the option', () => {
    expect(() => client().get('/x', { cache: 'sometimes' as never })).toThrow(/option "cache" must be/)
    expect(() => createClient({ cache: { maxSize: -1 } })).toThrow(/"cache.maxSize"/)
    expect(() => createClient({ cache: { store: {} as never } })).toThrow(/"cache.store"/)
  })
})

describe('HEAD, sizes and stores', () => {
  it('HEAD is answered from a fresh GET entry, without a body', async () => {
    const requests = resource('/head', { 'cache-control': 'max-age=60' })
    const api = client()
    await api.get('/head')
    expect(await api.head('/head')).toMatchObject({
      kind: 'success',
      data: undefined,
      meta: { cache: 'hit' },
    })
    expect(requests).toHaveLength(1)
  })

  it("a HEAD's 200 freshens the stale GET entry its validator matches, and removes one it does not (RFC 9111 §4.3.5)", async () => {
    let etag = '"h1"'
    const counted = countedResource(origin, '/head-fresh', (_request, count) =>
      HttpResponse.json(
        { count },
        { headers: { etag, 'cache-control': 'max-age=60', 'x-seen': String(count) } },
      ),
    )
    server.use(counted.handler)
    const api = client()
    await api.get('/head-fresh')
    advance(120_000)
    expect(await api.head('/head-fresh')).toMatchObject({ meta: { cache: 'miss' } })
    const freshened = await api.get('/head-fresh')
    expect(freshened).toMatchObject({ data: { count: 1 }, meta: { cache: 'hit' } })
    if (freshened.kind !== 'success') throw new Error(freshened.kind)
    expect(freshened.headers.get('x-seen')).toBe('2')
    advance(120_000)
    etag = '"h2"'
    await api.head('/head-fresh')
    expect(await api.get('/head-fresh')).toMatchObject({ data: { count: 4 }, meta: { cache: 'miss' } })
  })

  it('a body over maxEntrySize passes through whole but is not stored', async () => {
    const big = 'x'.repeat(10_000)
    const counted = countedResource(origin, '/big', () =>
      HttpResponse.text(big, { headers: { 'cache-control': 'max-age=60' } }),
    )
    server.use(counted.handler)
    const api = createClient({ baseUrl: origin, retry: false, cache: { maxEntrySize: 4096 } })
    expect(await api.get('/big')).toMatchObject({ kind: 'success', data: big })
    expect(await api.get('/big')).toMatchObject({ kind: 'success', data: big, meta: { cache: 'miss' } })
    expect(counted.requests).toHaveLength(2)
  })

  it("a hit holds to the request's maxBodySize: a stored body over it is refused, one within decoded", async () => {
    const body = { text: 'x'.repeat(2_000) }
    const counted = countedResource(origin, '/stored-size', () => {
      const bytes = new TextEncoder().encode(JSON.stringify(body))
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(bytes)
          controller.close()
        },
      })
      return new HttpResponse(stream, {
        headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60' },
      })
    })
    server.use(counted.handler)
    // No Content-Length on the stored response: the cap is checked on the bytes themselves.
    const api = client()
    await api.get('/stored-size')
    expect(await api.get('/stored-size', { maxBodySize: 1_000 })).toMatchObject({
      kind: 'invalid-response',
      reason: 'body-too-large',
      meta: { cache: 'hit' },
    })
    expect(await api.get('/stored-size', { maxBodySize: 4_000 })).toMatchObject({
      kind: 'success',
      data: body,
      meta: { cache: 'hit' },
    })
    expect(counted.requests).toHaveLength(1)
  })

  it('a store that fails reads as a miss and never fails the call', async () => {
    const broken: CacheStore = {
      get: async () => {
        throw new Error('store down')
      },
      set: () => {
        throw new Error('store down')
      },
      delete: async () => {
        throw new Error('store down')
      },
    }
    resource('/broken-store', { 'cache-control': 'max-age=60' })
    const api = createClient({ baseUrl: origin, retry: false, cache: { store: broken } })
    const results: Result[] = [await api.get('/broken-store'), await api.post('/broken-store')]
    expect(results.map((result) => result.kind)).toEqual(['success', 'success'])
  })

  it('a custom store is used', async () => {
    const store = new MemoryStore()
    resource('/custom-store', { 'cache-control': 'max-age=60' })
    await createClient({ baseUrl: origin, retry: false, cache: { store } }).get('/custom-store')
    expect(store.count).toBe(1)
  })
})
