/** results.*: every kind built by hand is the result a client would have given for the same answer. */
import { describe, expect, it } from 'vitest'
import { createClient, isKind, match, type Result, unwrapOr } from '../../src/index.ts'
import { results, routeTransport } from '../../src/testing.ts'

/** What a real call through the route table gives, for comparison with a built result. */
async function real(answer: Parameters<typeof routeTransport>[0][string], init = {}): Promise<Result> {
  const client = createClient({
    baseUrl: 'https://api.example.test/',
    transport: routeTransport({ '/': answer }),
    retry: false,
    cache: false,
    redirect: { follow: 'never' },
  })
  return client.request('/', init)
}

/** The fields of a result a test compares: everything but timings and the Headers object. */
function shape(result: Result): unknown {
  const { meta, ...rest } = result
  const fields: Record<string, unknown> = { ...rest }
  // The route table adds a Content-Length, as a server would; a built result needs none.
  if ('headers' in result)
    fields.headers = Object.fromEntries([...result.headers].filter(([name]) => name !== 'content-length'))
  if ('retryAfter' in result && result.retryAfter) fields.retryAfter = { ...result.retryAfter, at: null }
  delete fields.error
  return {
    ...fields,
    meta: { ...meta, duration: 0, attempts: meta.attempts.map((a) => ({ ...a, duration: 0 })) },
  }
}

describe('results', () => {
  it('success is what a 200 with JSON gives', async () => {
    const built = results.success({ id: 1 }, { meta: { cache: 'bypass' } })
    expect(shape(built)).toEqual(shape(await real({ json: { id: 1 } })))
    expect(built).toMatchObject({ kind: 'success', ok: true, status: 200, statusText: 'OK', location: null })
  })

  it('a 201 resolves its Location against the URL', () => {
    const created = results.success(null, { status: 201, headers: { location: '/orders/9' } })
    expect(created.location?.href).toBe('https://api.example.test/orders/9')
  })

  it('clientError reads problem+json and Retry-After as a response would', async () => {
    const headers = { 'content-type': 'application/problem+json', 'retry-after': '120' }
    const problem = { title: 'Slow down', status: 429 }
    const built = results.clientError(429, problem, { headers, meta: { cache: 'bypass' } })
    expect(built).toMatchObject({
      kind: 'client-error',
      ok: false,
      statusText: 'Too Many Requests',
      problem: { title: 'Slow down', status: 429 },
      retryAfter: { ms: 120_000 },
    })
    expect(shape(built)).toEqual(shape(await real({ status: 429, headers, json: problem })))
  })

  it('serverError, redirect, notModified and informational carry their status fields', async () => {
    expect(results.serverError(503)).toMatchObject({ kind: 'server-error', status: 503, retryAfter: null })
    const moved = results.redirect(301, '/elsewhere', { meta: { cache: 'bypass' } })
    expect(moved).toMatchObject({ kind: 'redirect', reason: 'policy', status: 301 })
    expect(moved.location?.href).toBe('https://api.example.test/elsewhere')
    expect(shape(moved)).toEqual(
      shape(await real({ status: 301, headers: { location: '/elsewhere' } }).then((r) => r)),
    )
    expect(results.redirect(302, null, { reason: 'cross-origin' })).toMatchObject({
      reason: 'cross-origin',
      location: null,
    })
    expect(results.notModified()).toMatchObject({ kind: 'not-modified', status: 304 })
    expect(results.informational(103)).toMatchObject({ kind: 'informational', statusText: 'Early Hints' })
  })

  it('networkError is what a refused connection gives', async () => {
    const built = results.networkError('ECONNREFUSED', { meta: { cache: 'bypass' } })
    const got = await real({ error: 'ECONNREFUSED' })
    expect(shape(built)).toEqual({ ...(shape(got) as object), message: expect.any(String) })
    expect(built.error).toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('refused, with when to come back', () => {
    const open = results.refused('circuit-open', 5_000)
    expect(open).toMatchObject({
      kind: 'refused',
      ok: false,
      reason: 'circuit-open',
      retryAfter: { ms: 5_000 },
    })
    expect(open.meta.attempts).toEqual([])
    expect(results.refused('bulkhead-full')).toMatchObject({ retryAfter: null })
  })

  it('timeout, aborted, invalidResponse and hookError', () => {
    expect(results.timeout()).toMatchObject({ kind: 'timeout', phase: 'attempt', limit: 10_000 })
    expect(results.timeout('total')).toMatchObject({ phase: 'total', limit: 30_000 })
    const signal = results.timeout('signal')
    expect(signal).toMatchObject({ phase: 'signal', limit: null })
    if (signal.phase === 'signal') expect(signal.reason).toMatchObject({ name: 'TimeoutError' })
    expect(results.aborted()).toMatchObject({ kind: 'aborted', reason: { name: 'AbortError' } })
    expect(results.invalidResponse('malformed-body', { text: '{oops' })).toMatchObject({
      kind: 'invalid-response',
      status: 200,
      text: '{oops',
      issues: null,
    })
    const thrown = new Error('no token')
    expect(results.hookError('beforeRequest', thrown)).toMatchObject({
      kind: 'hook-error',
      hook: 'beforeRequest',
      error: thrown,
      meta: { attempts: [] },
    })
  })

  it('every result has a complete meta, and the helpers read it as a real one', () => {
    const all: Result<{ id: number }>[] = [
      results.success({ id: 1 }),
      results.clientError(404),
      results.serverError(500),
      results.networkError(),
      results.timeout(),
      results.aborted(),
      results.invalidResponse('truncated-body'),
      results.hookError('afterResult', new Error('x')),
      results.redirect(307, '/x'),
      results.notModified(),
      results.informational(101),
      results.refused('circuit-open', 5_000),
    ]
    for (const result of all) {
      expect(Object.keys(result.meta).sort()).toEqual([
        'attempts',
        'breaker',
        'cache',
        'concurrency',
        'cooldown',
        'duration',
        'redirects',
        'request',
        'retryStop',
        'storeFallbacks',
      ])
      expect(result.meta.request).toEqual({ method: 'GET', url: 'https://api.example.test/' })
    }
    expect(all.filter(isKind('client-error', 'server-error'))).toHaveLength(2)
    expect(unwrapOr(all[0] as Result<{ id: number }>, null)).toEqual({ id: 1 })
    expect(match(all[1] as Result, { 404: () => 'missing', _: () => 'other' })).toBe('missing')
  })

  it('takes the URL and method the code under test would have used', () => {
    const result = results.serverError(502, undefined, { url: 'https://pay.test/charge', method: 'POST' })
    expect(result.meta).toMatchObject({
      request: { method: 'POST', url: 'https://pay.test/charge' },
      cache: 'bypass',
      attempts: [{ url: 'https://pay.test/charge', status: 502, error: null }],
    })
  })
})
