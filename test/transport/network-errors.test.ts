import { describe, expect, it } from 'vitest'
import { bodyHandlers } from '../../mocks/index.ts'
import { createClient } from '../../src/index.ts'
import { describeNetworkError, isTransientNetworkCode } from '../../src/transport/network-error.ts'
import { failingFetch } from '../support/fake-fetch.ts'
import { useMockServer } from '../support/msw.ts'

const origin = 'http://network-errors.test'
useMockServer(...bodyHandlers(origin))

/** What fetch rejects with: a TypeError whose cause is the system or undici error. */
function fetchFailure(code: string, message: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) })
}

describe('describeNetworkError reads the code from the cause chain', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'],
    ['ECONNRESET', 'read ECONNRESET'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.invalid'],
    ['ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN api.example'],
    ['UND_ERR_SOCKET', 'other side closed'],
    ['UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'],
    ['UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'],
    ['UND_ERR_BODY_TIMEOUT', 'Body Timeout Error'],
    ['CERT_HAS_EXPIRED', 'certificate has expired'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"],
  ])('%s', (code, message) => {
    expect(describeNetworkError(fetchFailure(code, message))).toEqual({ code, message })
  })

  it('prefers a known code to an unknown one higher in the chain', () => {
    const error = Object.assign(new Error('outer'), {
      code: 'ERR_WRAPPER',
      cause: fetchFailure('ECONNRESET', 'reset'),
    })
    expect(describeNetworkError(error)).toEqual({ code: 'ECONNRESET', message: 'reset' })
  })

  it("looks into an AggregateError's errors (happy eyeballs)", () => {
    const aggregate = new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:9'), { code: 'ECONNREFUSED' }),
    ])
    expect(describeNetworkError(new TypeError('fetch failed', { cause: aggregate })).code).toBe(
      'ECONNREFUSED',
    )
  })

  it('passes an unknown string code through', () => {
    expect(describeNetworkError(fetchFailure('EPROTO', 'wrong version number'))).toEqual({
      code: 'EPROTO',
      message: 'wrong version number',
    })
  })

  it("makes every llhttp code one, whichever undici global fetch runs on (Node 22's says HPE_INVALID_STATUS)", () => {
    for (const code of [
      'HPE_INVALID_STATUS',
      'HPE_INVALID_CONSTANT',
      'HPE_INVALID_VERSION',
      'ERR_ASSERTION',
    ]) {
      const cause = Object.assign(new Error('Invalid status code'), { code })
      expect(describeNetworkError(new TypeError('fetch failed', { cause }))).toEqual({
        code: 'HPE_INVALID_RESPONSE',
        message: 'Invalid status code',
      })
    }
  })

  it.each([
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ERR_TLS_HANDSHAKE_FAILURE'],
    ['ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE', 'ERR_TLS_HANDSHAKE_FAILURE'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ERR_TLS_CERT_REQUIRED'],
  ])("spells OpenSSL's %s, which differs between Node's OpenSSL releases, as %s", (code, stable) => {
    expect(describeNetworkError(fetchFailure(code, 'alert')).code).toBe(stable)
  })

  it.each([
    ['Proxy response (407) !== 200 when HTTP Tunneling', 'ERR_PROXY_AUTH'],
    ['Proxy Authentication Required (407)', 'ERR_PROXY_AUTH'],
    ['Proxy response (403) !== 200 when HTTP Tunneling', 'ERR_PROXY_REFUSED'],
    ['Proxy response (502) !== 200 when HTTP Tunneling', 'ERR_PROXY_TUNNEL'],
  ])("reads a proxy's refusal from undici's message: %s is %s", (message, code) => {
    expect(describeNetworkError(fetchFailure('UND_ERR_ABORTED', message))).toEqual({ code, message })
  })

  it.each([
    ['ENETDOWN', true],
    ['EHOSTDOWN', true],
    ['ERR_PROXY_TUNNEL', true],
    ['ERR_HTTP2_STREAM_ERROR', true],
    ['ERR_PROXY_AUTH', false],
    ['ERR_TLS_HANDSHAKE_FAILURE', false],
    ['ENOTFOUND', false],
  ])('%s is transient: %s', (code, transient) => {
    expect(isTransientNetworkCode(code)).toBe(transient)
  })

  it('keeps the message of an unknown cause without a code', () => {
    expect(
      describeNetworkError(new TypeError('fetch failed', { cause: new Error('something odd') })),
    ).toEqual({
      code: 'UNKNOWN',
      message: 'something odd',
    })
  })

  it("reads an error's name as its own, never as Object.prototype's (a name of 'toString')", () => {
    // Found by the property test: `name in CODES_BY_NAME` saw inherited members.
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(describeNetworkError({ name })).toEqual({ code: 'UNKNOWN', message: '[object Object]' })
    }
  })

  it('survives a cyclic cause chain and non-error values', () => {
    const a: { message: string; cause?: unknown } = { message: 'a' }
    a.cause = a
    expect(describeNetworkError(a)).toEqual({ code: 'UNKNOWN', message: 'a' })
    expect(describeNetworkError('just a string')).toEqual({ code: 'UNKNOWN', message: 'just a string' })
    expect(describeNetworkError(undefined)).toEqual({ code: 'UNKNOWN', message: 'undefined' })
  })
})

describe('a failed fetch is a network-error result, never a throw', () => {
  it('carries the code, the message and the original error', async () => {
    const error = fetchFailure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')
    const result = await createClient({ fetch: failingFetch(error), retry: false }).get('http://127.0.0.1:9/')
    expect(result).toMatchObject({
      kind: 'network-error',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
    })
    if (result.kind === 'network-error') expect(result.error).toBe(error)
    expect(result.meta.attempts).toEqual([expect.objectContaining({ status: null, error: 'ECONNREFUSED' })])
  })

  it('a fetch that rejects with a non-error still gives a result', async () => {
    const result = await createClient({ fetch: failingFetch('boom') }).get('http://x.test/')
    expect(result).toMatchObject({ kind: 'network-error', code: 'UNKNOWN', message: 'boom' })
  })

  it('an msw network error', async () => {
    const result = await createClient({ baseUrl: origin }).get('/network-error')
    expect(result).toMatchObject({ kind: 'network-error', code: 'UNKNOWN' })
  })
})
