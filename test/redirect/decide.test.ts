import { describe, expect, it } from 'vitest'
import { DEFAULT_SENSITIVE_HEADERS, resolveSensitiveHeaders } from '../../src/guard/sensitive-headers.ts'
import { decideRedirect, visitKey } from '../../src/redirect/decide.ts'
import { crossesOrigin } from '../../src/redirect/next-hop.ts'
import {
  DEFAULT_REDIRECT_POLICY,
  type RedirectOptions,
  resolveRedirectPolicy,
} from '../../src/redirect/options.ts'
import type { RequestHead } from '../../src/transport/types.ts'

function request(init: Partial<Omit<RequestHead, 'url'>> & { url?: string } = {}): RequestHead {
  return {
    method: init.method ?? 'GET',
    url: new URL(init.url ?? 'https://api.test/start'),
    headers: init.headers ?? new Headers(),
    body: init.body ?? null,
  }
}
const policy = (options: RedirectOptions = {}) => resolveRedirectPolicy(options, DEFAULT_REDIRECT_POLICY)
type DecideOptions = RedirectOptions & { sensitiveHeaders?: string[] }
const rules = ({ sensitiveHeaders, ...options }: DecideOptions) => ({
  ...policy(options),
  sensitiveHeaders: resolveSensitiveHeaders(sensitiveHeaders, DEFAULT_SENSITIVE_HEADERS),
})

function decide(
  status: number,
  location: string | null,
  from = request(),
  options: DecideOptions = {},
  followed = 0,
  visited = new Set<string>(),
) {
  return decideRedirect(from, status, location, rules(options), followed, visited)
}

describe('method and body per status (Fetch standard)', () => {
  const post = () =>
    request({ method: 'POST', body: 'payload', headers: new Headers({ 'content-type': 'text/plain' }) })
  it.each([
    [301, 'POST', 'GET', null],
    [302, 'POST', 'GET', null],
    [303, 'POST', 'GET', null],
    [307, 'POST', 'POST', 'payload'],
    [308, 'POST', 'POST', 'payload'],
  ])('%i after %s sends %s', (status, _from, method, body) => {
    const decision = decide(status, '/next', post())
    if (!decision.follow) throw new Error(decision.reason)
    expect(decision.next.method).toBe(method)
    expect(decision.next.body).toBe(body)
    expect(decision.next.headers.has('content-type')).toBe(body !== null)
  })

  it.each([
    [303, 'PUT', 'GET'],
    [303, 'DELETE', 'GET'],
    [303, 'HEAD', 'HEAD'],
    [301, 'PUT', 'PUT'],
    [302, 'DELETE', 'DELETE'],
    [308, 'PATCH', 'PATCH'],
  ])('%i after %s sends %s', (status, from, method) => {
    const decision = decide(status, '/next', request({ method: from }))
    expect(decision).toMatchObject({ follow: true, next: { method } })
  })

  it('drops every request-body header with the body', () => {
    const headers = new Headers({
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-language': 'en',
      'content-location': '/x',
      'x-keep': '1',
    })
    const decision = decide(303, '/next', request({ method: 'POST', body: '{}', headers }))
    if (!decision.follow) throw new Error(decision.reason)
    expect([...decision.next.headers.keys()]).toEqual(['x-keep'])
  })

  it.each([
    [307, 'POST'],
    [308, 'PUT'],
    [301, 'PUT'],
  ])('%i with a %s stream body is refused as body-not-replayable', (status, method) => {
    const body = new ReadableStream()
    expect(decide(status, '/next', request({ method, body }))).toEqual({
      follow: false,
      reason: 'body-not-replayable',
    })
  })

  it('a 303 after a stream body follows, since it drops the body', () => {
    expect(decide(303, '/next', request({ method: 'POST', body: new ReadableStream() }))).toMatchObject({
      follow: true,
    })
  })
})

describe('Location', () => {
  it('resolves a relative Location against the current URL', () => {
    expect(decide(302, '../other?q=1', request({ url: 'https://api.test/a/b/c' }))).toMatchObject({
      next: { url: new URL('https://api.test/a/other?q=1') },
    })
    expect(decide(302, '//cdn.test/x')).toMatchObject({ next: { url: new URL('https://cdn.test/x') } })
  })

  it.each([
    [null, 'invalid-location'],
    ['http://[::1', 'invalid-location'],
    ['https://user:pass@api.test/next', 'credentials-in-location'],
    ['https://user@api.test/next', 'credentials-in-location'],
    ['file:///etc/passwd', 'protocol'],
    ['data:text/plain,hi', 'protocol'],
    ['javascript:alert(1)', 'protocol'],
    ['ftp://api.test/x', 'protocol'],
    ['http://api.test/next', 'downgrade'],
  ])('%j is refused: %s', (location, reason) => {
    expect(decide(302, location)).toEqual({ follow: false, reason })
  })
})

describe('the policy options', () => {
  it("follow: 'never' refuses every redirect as policy", () => {
    expect(decide(302, '/next', request(), { follow: 'never' })).toEqual({ follow: false, reason: 'policy' })
  })

  it("follow: 'same-origin' refuses another origin, follows its own", () => {
    expect(decide(302, 'https://other.test/', request(), { follow: 'same-origin' })).toEqual({
      follow: false,
      reason: 'cross-origin',
    })
    expect(decide(302, '/next', request(), { follow: 'same-origin' })).toMatchObject({ follow: true })
  })

  it('allowDowngrade follows https → http', () => {
    expect(decide(302, 'http://api.test/next', request(), { allowDowngrade: true })).toMatchObject({
      follow: true,
    })
  })

  it("protocols: ['https:'] refuses an upgrade's opposite and plain http", () => {
    const from = request({ url: 'http://api.test/' })
    expect(decide(302, 'http://api.test/next', from, { protocols: ['https:'] })).toEqual({
      follow: false,
      reason: 'protocol',
    })
    expect(decide(302, 'https://api.test/next', from, { protocols: ['https:'] })).toMatchObject({
      follow: true,
    })
  })

  it('max counts the redirects already followed', () => {
    expect(decide(302, '/next', request(), { max: 2 }, 1)).toMatchObject({ follow: true })
    expect(decide(302, '/next', request(), { max: 2 }, 2)).toEqual({ follow: false, reason: 'max-redirects' })
    expect(decide(302, '/next', request(), { max: 0 }, 0)).toEqual({ follow: false, reason: 'max-redirects' })
  })

  it('a request already sent in this call is a loop, caught before max', () => {
    const visited = new Set([visitKey('GET', new URL('https://api.test/a'))])
    expect(decide(302, '/a', request({ url: 'https://api.test/b' }), { max: 10 }, 1, visited)).toEqual({
      follow: false,
      reason: 'loop',
    })
  })

  it('the same URL with another method is no loop (POST → 303 → GET)', () => {
    const visited = new Set([visitKey('POST', new URL('https://api.test/form'))])
    const from = request({ url: 'https://api.test/form', method: 'POST', body: 'x' })
    expect(decide(303, '/form', from, {}, 0, visited)).toMatchObject({
      follow: true,
      next: { method: 'GET' },
    })
  })
})

describe('credentials across origins', () => {
  const secrets = () =>
    new Headers({
      authorization: 'Bearer t',
      cookie: 'a=1',
      'proxy-authorization': 'Basic x',
      'x-api-key': 'k',
      'api-key': 'k',
      'x-auth-token': 't',
      cookie2: 'b=2',
      'x-tenant-secret': 's',
      accept: '*/*',
    })

  it('drops every default sensitive header, and the sensitiveHeaders, when the origin changes', () => {
    const decision = decide(302, 'https://other.test/', request({ headers: secrets() }), {
      sensitiveHeaders: ['X-Tenant-Secret'],
    })
    if (!decision.follow) throw new Error(decision.reason)
    expect([...decision.next.headers.keys()]).toEqual(['accept'])
  })

  it('keeps them on the same origin', () => {
    const decision = decide(302, '/next', request({ headers: secrets() }), {
      sensitiveHeaders: ['x-tenant-secret'],
    })
    if (!decision.follow) throw new Error(decision.reason)
    expect([...decision.next.headers.keys()].sort()).toEqual([...secrets().keys()].sort())
  })

  it('a request adds sensitive headers to the defaults and can never remove one', () => {
    const added = resolveSensitiveHeaders(['x-tenant-secret'], DEFAULT_SENSITIVE_HEADERS)
    expect(resolveSensitiveHeaders([], added)).toEqual(added)
    expect([...DEFAULT_SENSITIVE_HEADERS].every((name) => added.has(name))).toBe(true)
    expect(() => resolveSensitiveHeaders(['bad header'], added)).toThrow(/"sensitiveHeaders"/)
    expect(() => resolveSensitiveHeaders('authorization', added)).toThrow(/"sensitiveHeaders"/)
  })

  it("never changes the caller's headers", () => {
    const headers = secrets()
    decide(302, 'https://other.test/', request({ headers }))
    expect(headers.get('authorization')).toBe('Bearer t')
  })

  it.each([
    ['http://api.test/', 'https://api.test/', false],
    ['http://api.test:80/', 'https://api.test:443/', false],
    ['http://api.test:8080/', 'https://api.test:8443/', true],
    ['http://api.test/', 'https://www.api.test/', true],
    ['https://api.test/', 'https://api.test:8443/', true],
    ['https://api.test/', 'https://other.test/', true],
    ['https://api.test/a', 'https://api.test/b', false],
  ])('%s → %s crosses origins: %s', (from, to, crosses) => {
    expect(crossesOrigin(new URL(from), new URL(to))).toBe(crosses)
  })
})

describe('option validation', () => {
  it.each([
    [{ follow: 'sometimes' }, /"redirect.follow"/],
    [{ max: -1 }, /"redirect.max"/],
    [{ max: 1.5 }, /"redirect.max"/],
    [{ allowDowngrade: 'yes' }, /"redirect.allowDowngrade"/],
    [{ protocols: [] }, /"redirect.protocols"/],
    [{ protocols: ['file:'] }, /"redirect.protocols"/],
    [{ stripHeaders: ['x-api-key'] }, /"redirect.stripHeaders" is now "sensitiveHeaders"/],
    [{ shouldFollow: true }, /"redirect.shouldFollow"/],
    ['never', /"redirect" must be an object/],
  ])('%j throws', (options, message) => {
    expect(() => policy(options as never)).toThrow(TypeError)
    expect(() => policy(options as never)).toThrow(message)
  })
})
