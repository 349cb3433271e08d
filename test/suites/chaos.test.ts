/**
 * A hostile origin, on both transports: for each misbehaviour, the kind of result and that the
 * call ends within its deadline — never a throw, never a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { type ChaosOrigin, startChaosOrigin } from '../support/chaos-origin.ts'
import { TRANSPORTS, transportOption } from '../support/transports.ts'

let origin: ChaosOrigin
beforeAll(async () => {
  origin = await startChaosOrigin()
})
afterAll(async () => {
  await origin.stop()
})

/** The deadlines every call here runs under; generous slack keeps the bound a bound, not a speed test. */
const ATTEMPT = 300
const TOTAL = 800
const SLACK = 1500

describe.each(TRANSPORTS)('the chaos origin, $name transport', ({ make }) => {
  const client = () =>
    createClient({
      ...transportOption(make),
      baseUrl: origin.url,
      retry: false,
      timeout: { attempt: ATTEMPT, total: TOTAL },
    })

  async function call(path: string): Promise<Result> {
    const started = performance.now()
    const result = await client().get(path)
    expect(performance.now() - started).toBeLessThan(TOTAL + SLACK)
    return result
  }

  it.each([
    ['/reset-before-headers', { kind: 'network-error', code: 'UND_ERR_SOCKET' }],
    ['/reset-mid-body', { kind: 'invalid-response', reason: 'truncated-body' }],
    ['/never', { kind: 'timeout', phase: 'attempt', limit: ATTEMPT }],
    ['/trickle', { kind: 'timeout', phase: 'attempt' }],
    ['/short-body', { kind: 'invalid-response', reason: 'truncated-body', status: 200 }],
    ['/long-body', { kind: 'success', data: 'hello' }],
    ['/bad-status-line', { kind: 'network-error', code: 'HPE_INVALID_RESPONSE' }],
    ['/status-999', { kind: 'invalid-response', reason: 'status-out-of-range', status: 999 }],
    ['/status-42', { kind: 'network-error', code: 'HPE_INVALID_RESPONSE' }],
    ['/not-http', { kind: 'network-error', code: 'HPE_INVALID_RESPONSE' }],
    ['/huge-headers', { kind: 'network-error', code: 'UND_ERR_HEADERS_OVERFLOW' }],
    ['/conflicting-length', { kind: 'network-error', code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' }],
    ['/duplicate-headers', { kind: 'success', status: 200 }],
    ['/garbage-location', { kind: 'redirect', reason: 'invalid-location', location: null }],
    ['/garbage-retry-after', { kind: 'server-error', status: 503, retryAfter: null }],
    ['/garbage-cache', { kind: 'success', data: {} }],
    ['/garbage-vary', { kind: 'success', data: {} }],
  ])('%s is %o', async (path, expected) => {
    expect(await call(path)).toMatchObject(expected)
  })

  it('a gzip bomb is cancelled at maxBodySize, not decompressed into memory', async () => {
    const bounded = createClient({
      ...transportOption(make),
      baseUrl: origin.url,
      retry: false,
      maxBodySize: 4 * 1024 * 1024,
    })
    const result = await bounded.get('/gzip-bomb')
    expect(result).toMatchObject({ kind: 'invalid-response', reason: 'body-too-large', status: 200 })
    // Under the default bound of 64 MiB, the 32 MiB it inflates to is read whole.
    const whole = await client().get('/gzip-bomb', { timeout: false })
    expect(whole.kind === 'success' && whole.data instanceof Uint8Array && whole.data.byteLength).toBe(
      32 * 1024 * 1024,
    )
  })

  it('hundreds of redirects end at max, with the chain so far', async () => {
    const result = await call('/hops/0')
    expect(result).toMatchObject({ kind: 'redirect', reason: 'max-redirects' })
    expect(result.meta.redirects).toHaveLength(10)
  })

  it('a trickle with no attempt deadline ends at the total one', async () => {
    const started = performance.now()
    const result = await createClient({
      ...transportOption(make),
      baseUrl: origin.url,
      retry: false,
      timeout: { attempt: false, total: 400 },
    }).get('/trickle')
    expect(result).toMatchObject({ kind: 'timeout', phase: 'total', limit: 400 })
    expect(performance.now() - started).toBeLessThan(400 + SLACK)
  })

  it('retries of garbage end within the total deadline too', async () => {
    const started = performance.now()
    const result = await createClient({
      ...transportOption(make),
      baseUrl: origin.url,
      retry: { limit: 5, backoff: { initial: 10, max: 10 }, budget: false },
      timeout: { attempt: 100, total: 500 },
    }).get('/never')
    expect(['timeout']).toContain(result.kind)
    expect(performance.now() - started).toBeLessThan(500 + SLACK)
  })
})
