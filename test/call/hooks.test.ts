import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { scriptedFetch, status } from '../support/fake-fetch.ts'

const url = 'http://hooks.test/resource'

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 24, 12, 0, 0) })
})
afterEach(() => {
  vi.useRealTimers()
})

/** An origin that answers 401 unless the Authorization is `Bearer fresh`. */
function tokenOrigin() {
  return scriptedFetch(...Array.from({ length: 6 }, () => () => new Response(null, { status: 401 })))
}

function authFetch() {
  const seen: (string | null)[] = []
  const fetch = async (_input: URL, init: RequestInit) => {
    const authorization = new Headers(init.headers).get('authorization')
    seen.push(authorization)
    return authorization === 'Bearer fresh'
      ? Response.json({ me: 'ada' })
      : new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer' } })
  }
  return { fetch, seen }
}

describe('beforeRequest', () => {
  it('may change headers, a client hook first then a request hook', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const client = createClient({
      fetch,
      hooks: { beforeRequest: (request) => void request.headers.set('x-request-id', 'client') },
    })
    await client.get(url, {
      hooks: { beforeRequest: [(request) => void request.headers.append('x-request-id', 'request')] },
    })
    expect(requests[0]?.headers.get('x-request-id')).toBe('client, request')
  })

  it("never changes the client's own default headers", async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const client = createClient({ fetch, headers: { 'x-team': 'core' } })
    await client.get(url, {
      hooks: { beforeRequest: (request) => void request.headers.set('x-team', 'changed') },
    })
    await client.get(url)
    expect(requests.map((request) => request.headers.get('x-team'))).toEqual(['changed', 'core'])
  })

  it('may return a result, which ends the call without sending it', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const canned = { kind: 'aborted', reason: 'circuit open', meta: {} } as unknown as Result
    const result = await createClient({ fetch, hooks: { beforeRequest: async () => canned } }).get(url)
    expect(result).toBe(canned)
    expect(requests).toHaveLength(0)
  })
})

describe('afterResult', () => {
  it('refreshes a token on 401 and sends the call once more, with the new token', async () => {
    const { fetch, seen } = authFetch()
    const refresh = vi.fn(async () => 'fresh')
    const client = createClient({
      fetch,
      headers: { authorization: 'Bearer stale' },
      hooks: {
        afterResult: async (result) => {
          if (result.kind === 'client-error' && result.status === 401) {
            return { headers: { authorization: `Bearer ${await refresh()}` } }
          }
          return undefined
        },
      },
    })
    const result = await client.get(url)
    expect(result).toMatchObject({ kind: 'success', data: { me: 'ada' } })
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh'])
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('cannot loop: a hook that always asks again gets one resend', async () => {
    const { fetch, requests } = tokenOrigin()
    const hook = vi.fn((_result: Result, _context: { resends: number }) => ({
      headers: { authorization: 'Bearer still-wrong' },
    }))
    const result = await createClient({ fetch, hooks: { afterResult: hook } }).get(url)
    expect(result).toMatchObject({ kind: 'client-error', status: 401 })
    expect(requests).toHaveLength(2)
    expect(hook.mock.calls.map(([, context]) => context.resends)).toEqual([0, 1])
  })

  it('leaves the result alone when it returns nothing', async () => {
    const { fetch } = scriptedFetch(status(404))
    expect(await createClient({ fetch, hooks: { afterResult: () => undefined } }).get(url)).toMatchObject({
      kind: 'client-error',
      status: 404,
    })
  })
})

describe('beforeRetry', () => {
  it('sees each retry: the attempt, what it got, the delay and why', async () => {
    const { fetch } = scriptedFetch(status(503, { 'retry-after': '2' }), status(200))
    const seen: unknown[] = []
    const pending = createClient({
      fetch,
      retry: { budget: false },
      hooks: { beforeRetry: (context) => void seen.push(context) },
    }).get(url)
    await vi.advanceTimersByTimeAsync(2000)
    expect((await pending).kind).toBe('success')
    expect(seen).toEqual([
      expect.objectContaining({ attempt: 1, status: 503, delay: 2000, delayReason: 'retry-after' }),
    ])
  })
})

describe('a hook that throws', () => {
  const boom = new Error('hook bug')
  const throwing = () => {
    throw boom
  }

  it.each([
    ['beforeRequest', { beforeRequest: throwing }],
    ['afterResult', { afterResult: throwing }],
  ] as const)('%s ends the call as hook-error with the error, never a rejection', async (hook, hooks) => {
    const { fetch } = scriptedFetch(status(200))
    const result = await createClient({ fetch, hooks }).get(url)
    expect(result).toMatchObject({ kind: 'hook-error', hook, error: boom })
    expect(result.meta.request.url).toBe(url)
  })

  it('beforeRetry ends the call as hook-error', async () => {
    const { fetch } = scriptedFetch(status(503), status(200))
    const result = await createClient({
      fetch,
      retry: { budget: false },
      hooks: { beforeRetry: throwing },
    }).get(url)
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'beforeRetry', error: boom })
  })

  it('an afterResult that returns bad options ends as hook-error too', async () => {
    const { fetch } = scriptedFetch(status(401))
    const result = await createClient({
      fetch,
      hooks: { afterResult: () => ({ method: 'BAD METHOD' }) },
    }).get(url)
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'afterResult' })
  })

  it('a hook that is not a function throws a TypeError at the call', () => {
    expect(() => createClient({ hooks: { beforeRequest: 'nope' as never } })).toThrow(/"hooks.beforeRequest"/)
    expect(() => createClient().get('http://hooks.test/', { hooks: { afterInterim: [1] as never } })).toThrow(
      /"hooks.afterInterim"/,
    )
  })
})
