import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  bodyHandlers,
  redirectChainHandler,
  redirectLoopHandler,
  redirectToHandler,
} from '../../mocks/index.ts'
import { createClient, type Result } from '../../src/index.ts'
import { useMockServer } from '../support/msw.ts'

const origin = 'https://redirect.test'
const other = 'https://other-origin.test'
const plain = 'http://plain.test'
const server = useMockServer(
  ...bodyHandlers(origin),
  ...bodyHandlers(other),
  ...bodyHandlers(plain),
  redirectToHandler(origin),
  redirectToHandler(plain),
  redirectLoopHandler(origin),
)
const client = createClient({ baseUrl: origin })

const to = (location: string, status = 302) =>
  `/redirect-to?status=${status}&location=${encodeURIComponent(location)}`

function echoed(result: Result) {
  if (result.kind !== 'success') throw new Error(`expected success, got ${result.kind}`)
  return result.data as { method: string; url: string; body: string | null; headers: Record<string, string> }
}

describe('chains of every redirect status', () => {
  it.each([301, 302, 303, 307, 308])('follows a chain of three %i, recording every hop', async (status) => {
    server.use(redirectChainHandler(origin, { status }))
    const result = await client.get('/redirect/3')
    expect(result).toMatchObject({ kind: 'success', data: { arrived: true } })
    expect(result.meta.redirects).toEqual([
      { from: `${origin}/redirect/3`, to: `${origin}/redirect/2`, status },
      { from: `${origin}/redirect/2`, to: `${origin}/redirect/1`, status },
      { from: `${origin}/redirect/1`, to: `${origin}/redirect/0`, status },
    ])
    expect(result.meta.attempts.map((attempt) => [attempt.url, attempt.status])).toEqual([
      [`${origin}/redirect/3`, status],
      [`${origin}/redirect/2`, status],
      [`${origin}/redirect/1`, status],
      [`${origin}/redirect/0`, 200],
    ])
    expect(result.meta.request.url).toBe(`${origin}/redirect/0`)
  })

  it.each([300, 304, 305, 306])('does not follow %i', async (status) => {
    const result = await client.get(to('/echo', status))
    expect(result.kind).toBe(status === 304 ? 'not-modified' : 'redirect')
    expect(result.meta.redirects).toEqual([])
  })

  it('300 Multiple Choices is returned as a redirect with its body', async () => {
    const result = await client.get(to('/echo', 300))
    expect(result).toMatchObject({
      kind: 'redirect',
      status: 300,
      reason: 'policy',
      data: '<a href="/echo">moved</a>',
    })
  })
})

describe('method and body per status', () => {
  it.each([
    [301, 'GET', null],
    [302, 'GET', null],
    [303, 'GET', null],
    [307, 'POST', '{"n":1}'],
    [308, 'POST', '{"n":1}'],
  ])('POST then %i arrives as %s', async (status, method, body) => {
    const data = echoed(await client.post(to('/echo', status), { json: { n: 1 } }))
    expect(data.method).toBe(method)
    expect(data.body).toBe(body === null ? null : body)
    expect('content-type' in data.headers).toBe(body !== null)
  })

  it.each([
    [303, 'PUT', 'GET'],
    [301, 'PUT', 'PUT'],
    [302, 'DELETE', 'DELETE'],
    [307, 'PATCH', 'PATCH'],
  ])('%i after %s arrives as %s', async (status, from, method) => {
    expect(echoed(await client.request(to('/echo', status), { method: from })).method).toBe(method)
  })

  it.each([
    ['a string', () => 'text body', 'text body'],
    ['bytes', () => new TextEncoder().encode('bytes body'), 'bytes body'],
    ['URLSearchParams', () => new URLSearchParams({ a: '1' }), 'a=1'],
    ['a Blob', () => new Blob(['blob body']), 'blob body'],
  ])('307 replays %s', async (_name, body, expected) => {
    expect(echoed(await client.post(to('/echo', 307), { body: body() })).body).toBe(expected)
  })

  it('307 replays FormData', async () => {
    const form = new FormData()
    form.set('field', 'value')
    expect(echoed(await client.post(to('/echo', 307), { body: form })).body).toContain(
      'name="field"\r\n\r\nvalue',
    )
  })

  it('307 with a stream body ends as a redirect: body-not-replayable', async () => {
    const result = await client.post(to('/echo', 307), { body: new Response('stream').body })
    expect(result).toMatchObject({ kind: 'redirect', status: 307, reason: 'body-not-replayable' })
    if (result.kind === 'redirect') expect(result.location?.href).toBe(`${origin}/echo`)
  })
})

describe('headers across origins', () => {
  const secrets = {
    authorization: 'Bearer t',
    cookie: 'sid=1',
    'proxy-authorization': 'Basic p',
    'x-api-key': 'k',
    'x-tenant-secret': 's',
  }

  it('drops credentials and the sensitiveHeaders when the origin changes', async () => {
    const strict = createClient({
      baseUrl: origin,
      headers: secrets,
      sensitiveHeaders: ['x-tenant-secret'],
    })
    const data = echoed(await strict.get(to(`${other}/echo`)))
    expect(data.url).toBe(`${other}/echo`)
    for (const name of Object.keys(secrets)) expect(data.headers).not.toHaveProperty(name)
  })

  it('keeps them on the same origin', async () => {
    const data = echoed(await client.get(to('/echo'), { headers: secrets }))
    expect(data.headers).toMatchObject(secrets)
  })

  it('keeps them on an upgrade from http to https of the same host', async () => {
    server.use(
      http.get('http://upgrade.test/start', () =>
        HttpResponse.text('', { status: 301, headers: { location: 'https://upgrade.test/echo' } }),
      ),
      ...bodyHandlers('https://upgrade.test'),
    )
    const data = echoed(await client.get('http://upgrade.test/start', { headers: secrets }))
    expect(data.url).toBe('https://upgrade.test/echo')
    expect(data.headers).toMatchObject({ authorization: 'Bearer t', cookie: 'sid=1' })
  })
})

describe('refused hops are results, never throws', () => {
  it.each([
    ['no Location', '/redirect-to?status=302', 'invalid-location'],
    ['an unparsable Location', to('http://[::1'), 'invalid-location'],
    ['credentials in Location', to('https://user:pass@redirect.test/echo'), 'credentials-in-location'],
    ['a file: target', to('file:///etc/passwd'), 'protocol'],
    ['a data: target', to('data:text/plain,hi'), 'protocol'],
    ['a javascript: target', to('javascript:alert(1)'), 'protocol'],
    ['a downgrade to http', to(`${plain}/echo`), 'downgrade'],
  ])('%s: %s', async (_name, path, reason) => {
    const result = await client.get(path)
    expect(result).toMatchObject({ kind: 'redirect', status: 302, reason })
    expect(result.meta.redirects).toEqual([])
  })

  it('a loop is caught when it closes, with the chain so far', async () => {
    const result = await client.get('/loop/a')
    expect(result).toMatchObject({ kind: 'redirect', reason: 'loop' })
    if (result.kind === 'redirect') expect(result.location?.href).toBe(`${origin}/loop/a`)
    expect(result.meta.redirects.map((hop) => hop.to)).toEqual([`${origin}/loop/b`])
    expect(result.meta.attempts).toHaveLength(2)
  })

  it('max ends a long chain with the chain so far', async () => {
    server.use(redirectChainHandler(origin))
    const result = await client.get('/redirect/20', { redirect: { max: 3 } })
    expect(result).toMatchObject({ kind: 'redirect', reason: 'max-redirects', status: 302 })
    expect(result.meta.redirects).toHaveLength(3)
    expect(result.meta.request.url).toBe(`${origin}/redirect/17`)
  })

  it('the default max is 10', async () => {
    server.use(redirectChainHandler(origin))
    expect((await client.get('/redirect/10')).kind).toBe('success')
    const result = await client.get('/redirect/11')
    expect(result).toMatchObject({ kind: 'redirect', reason: 'max-redirects' })
    expect(result.meta.redirects).toHaveLength(10)
  })

  it('a downgrade is followed when allowed', async () => {
    const data = echoed(await client.get(to(`${plain}/echo`), { redirect: { allowDowngrade: true } }))
    expect(data.url).toBe(`${plain}/echo`)
  })
})

describe('the policy per client and per request', () => {
  it("follow: 'never' on the client returns the first 3xx", async () => {
    const never = createClient({ baseUrl: origin, redirect: { follow: 'never' } })
    expect(await never.get(to('/echo'))).toMatchObject({ kind: 'redirect', reason: 'policy' })
  })

  it("a request's fields override the client's one by one", async () => {
    const sameOrigin = createClient({ baseUrl: origin, redirect: { follow: 'same-origin', max: 1 } })
    expect(await sameOrigin.get(to(`${other}/echo`))).toMatchObject({
      kind: 'redirect',
      reason: 'cross-origin',
    })
    expect((await sameOrigin.get(to(`${other}/echo`), { redirect: { follow: 'always' } })).kind).toBe(
      'success',
    )
    server.use(redirectChainHandler(origin))
    // max: 1 still holds from the client when the request only changes follow.
    expect(await sameOrigin.get('/redirect/2', { redirect: { follow: 'always' } })).toMatchObject({
      reason: 'max-redirects',
    })
  })

  it('shouldFollow is asked for each hop the other checks allow', async () => {
    const shouldFollow = vi.fn((_from: URL, target: URL, _status: number) => !target.pathname.endsWith('/1'))
    server.use(redirectChainHandler(origin, { status: 307 }))
    const result = await client.get('/redirect/3', { redirect: { shouldFollow } })
    expect(result).toMatchObject({ kind: 'redirect', reason: 'policy', status: 307 })
    expect(
      shouldFollow.mock.calls.map(([from, target, status]) => [from.pathname, target.pathname, status]),
    ).toEqual([
      ['/redirect/3', '/redirect/2', 307],
      ['/redirect/2', '/redirect/1', 307],
    ])
  })

  it('an async shouldFollow is awaited', async () => {
    const data = echoed(await client.get(to('/echo'), { redirect: { shouldFollow: async () => true } }))
    expect(data.url).toBe(`${origin}/echo`)
  })

  it('a shouldFollow that throws ends the call as hook-error, never a rejection', async () => {
    const boom = new Error('hook failed')
    const result = await client.get(to('/echo'), {
      redirect: {
        shouldFollow: () => {
          throw boom
        },
      },
    })
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'shouldFollow', error: boom })
  })
})
