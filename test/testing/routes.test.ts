/**
 * routeTransport: a user's code, tested without a network, with every policy running as it would
 * against a server. Written as a user of `fetchkind/testing` would write it.
 */
import { HttpResponse, http } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { routeTransport, setDefaultTransport } from '../../src/testing.ts'
import { useMockServer } from '../support/msw.ts'

/** The code under test: a user's lookup, as the README's examples write it. */
async function userName(client: ReturnType<typeof createClient>, id: number): Promise<string | null> {
  const result = await client.get<{ name: string }>(`users/${id}`)
  switch (result.kind) {
    case 'success':
      return result.data.name
    case 'client-error':
      if (result.status === 404) return null
      throw new Error(`users: ${result.status}`)
    default:
      throw new Error(`users: ${result.kind}`)
  }
}

const base = { baseUrl: 'https://api.test/v1/', cache: false as const }

afterEach(() => {
  vi.useRealTimers()
})

describe('routeTransport', () => {
  it("answers each route, records each request, and a user's code sees real results", async () => {
    const transport = routeTransport({
      'GET /v1/users/1': { json: { name: 'Ada' } },
      'GET /v1/users/2': 404,
      'POST /v1/users': (request) => ({ status: 201, json: JSON.parse(request.body ?? 'null') }),
    })
    const client = createClient({ ...base, transport })
    expect(await userName(client, 1)).toBe('Ada')
    expect(await userName(client, 2)).toBeNull()
    const created = await client.post('users', { json: { name: 'Grace' } })
    expect(created).toMatchObject({ kind: 'success', status: 201, data: { name: 'Grace' } })
    expect(transport.calls.map((call) => `${call.method} ${call.url.pathname}`)).toEqual([
      'GET /v1/users/1',
      'GET /v1/users/2',
      'POST /v1/users',
    ])
    expect(transport.calls[2]?.headers.get('content-type')).toBe('application/json')
    expect(transport.calls[2]?.body).toBe('{"name":"Grace"}')
  })

  it('a list answers in turn, the last repeated: the retry policy runs as against a server', async () => {
    vi.useFakeTimers()
    const transport = routeTransport({ '/v1/flaky': [503, { error: 'ECONNRESET' }, { text: 'ok' }] })
    const client = createClient({ ...base, transport, retry: { limit: 2, backoff: { initial: 100 } } })
    const pending = client.get('flaky')
    await vi.runAllTimersAsync()
    const result = await pending
    expect(result).toMatchObject({ kind: 'success', data: 'ok' })
    expect(result.meta.attempts.map((attempt) => attempt.status ?? attempt.error)).toEqual([
      503,
      'ECONNRESET',
      200,
    ])
    expect((await client.get('flaky')).kind).toBe('success')
  })

  it('a network failure is a network-error with its code', async () => {
    const client = createClient({
      ...base,
      transport: routeTransport({ '/v1/down': { error: 'ECONNREFUSED' } }),
      retry: false,
    })
    expect(await client.get('down')).toMatchObject({ kind: 'network-error', code: 'ECONNREFUSED' })
  })

  it('a delay is cut by the attempt deadline, on fake timers', async () => {
    vi.useFakeTimers()
    const client = createClient({
      ...base,
      transport: routeTransport({ '/v1/slow': { delay: 60_000, text: 'late' } }),
      retry: false,
      timeout: 1_000,
    })
    const pending = client.get('slow')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'attempt', limit: 1_000 })
  })

  it('redirects are followed by the policy, and the cache answers from its store', async () => {
    const transport = routeTransport({
      '/v1/old': { status: 301, headers: { location: '/v1/new' } },
      '/v1/new': { json: { v: 1 }, headers: { 'cache-control': 'max-age=60' } },
    })
    const client = createClient({ baseUrl: 'https://api.test/v1/', transport })
    const first = await client.get('old')
    expect(first).toMatchObject({ kind: 'success', data: { v: 1 } })
    expect(first.meta.redirects).toEqual([
      { from: 'https://api.test/v1/old', to: 'https://api.test/v1/new', status: 301 },
    ])
    expect((await client.get('new')).meta.cache).toBe('hit')
    expect(transport.calls).toHaveLength(2)
  })

  it('matches by method, by origin and by query when the key names them', async () => {
    const transport = routeTransport({
      'GET https://other.test/x': { text: 'other origin' },
      '/x?page=2': { text: 'page two' },
      'DELETE /x': 204,
      '/x': { text: 'any' },
    })
    const client = createClient({ ...base, transport, retry: false })
    const text = async (promise: Promise<Result>) => {
      const result = await promise
      return result.kind === 'success' ? result.data : result.kind
    }
    expect(await text(client.get('https://other.test/x'))).toBe('other origin')
    expect(await text(client.get('/x', { searchParams: { page: 2 } }))).toBe('page two')
    expect(await text(client.get('/x', { searchParams: { page: 3 } }))).toBe('any')
    expect(await client.delete('/x')).toMatchObject({ kind: 'success', status: 204 })
  })

  it('a request no route matches rejects the call, naming it and the routes there are (issue 38)', async () => {
    // A typo in a route ('user/2' for 'users/2') made a "404 is null" test pass on the default 404.
    const transport = routeTransport({ 'GET /v1/user/2': 404 })
    const client = createClient({ ...base, transport, retry: false })
    const call = userName(client, 2)
    await expect(call).rejects.toThrow(
      'fetchkind/testing: no route for GET https://api.test/v1/users/2 (routes: GET /v1/user/2)',
    )
    await expect(call).rejects.toMatchObject({ code: 'ERR_NO_ROUTE' })
    expect(transport.calls.map((call) => call.url.pathname)).toEqual(['/v1/users/2'])
  })

  it('answers an unmatched request as told: a 404, or a network failure', async () => {
    const notFound = createClient({
      ...base,
      transport: routeTransport({}, { unmatched: 404 }),
      retry: false,
    })
    expect(await notFound.get('missing')).toMatchObject({ kind: 'client-error', status: 404 })
    const refused = routeTransport({}, { unmatched: { error: 'ECONNREFUSED' } })
    expect(await createClient({ ...base, transport: refused, retry: false }).get('missing')).toMatchObject({
      kind: 'network-error',
      code: 'ECONNREFUSED',
    })
    expect(() => routeTransport({}, { unmatched: 'ignore' as never })).toThrow(/"unmatched"/)
  })

  it('a key that is no route is a TypeError', () => {
    expect(() => routeTransport({ 'GET /a /b': 200 })).toThrow(TypeError)
  })
})

describe('with msw instead (the fetch transport, the cache off)', () => {
  const server = useMockServer()

  it('msw answers a default client: it sends through global fetch once msw has replaced it', async () => {
    server.use(http.get('https://msw.test/users/1', () => HttpResponse.json({ name: 'Ada' })))
    // Cache off, so that each test's handler answers afresh.
    const client = createClient({ baseUrl: 'https://msw.test/', cache: false })
    expect(await userName(client, 1)).toBe('Ada')
  })
})

describe('setDefaultTransport: for code that makes its own client', () => {
  /** The code under test: it makes its client itself, and takes no transport. */
  const service = { lookup: (id: number) => userName(createClient(base), id) }

  it('answers every client made with the default, until put back', async () => {
    const transport = routeTransport({ 'GET /v1/users/1': { json: { name: 'Ada' } } })
    const restore = setDefaultTransport(transport)
    try {
      expect(await service.lookup(1)).toBe('Ada')
      // A client given its own transport keeps it.
      const own = routeTransport({ 'GET /v1/users/1': { json: { name: 'own' } } })
      expect(await userName(createClient({ ...base, transport: own }), 1)).toBe('own')
    } finally {
      restore()
    }
    expect(transport.calls).toHaveLength(1)
    const after = createClient({ ...base, baseUrl: 'http://127.0.0.1:9/', retry: false, timeout: 2000 })
    expect((await after.get('x')).kind).toBe('network-error')
  })

  it('refuses what is not a transport', () => {
    expect(() => setDefaultTransport({} as never)).toThrow(/setDefaultTransport takes a transport or null/)
  })
})
