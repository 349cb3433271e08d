/**
 * stripe through `toFetch()`, against a loopback fake of its API. Stripe's SDK retries on its
 * own and knows its API: it keys every POST with one Idempotency-Key for all its attempts, obeys
 * `Stripe-Should-Retry`, and leaves a 429 alone. The recipe keeps the client's retry off, as a
 * default `toFetch()` has it, and the SDK sends exactly what it sends with global fetch.
 */
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/index.ts'
import { type LoopbackOrigin, type Route, startOrigin } from '../../support/loopback-origin.ts'
import { TRANSPORTS } from '../../support/transports.ts'
import { Received, retries } from './counting.ts'

const received = new Received()
let origin: LoopbackOrigin

/** A Stripe error answer with `status`, every request counted. */
const failing =
  (status: number, type: string): Route =>
  (request, response) => {
    received.add(request.headers)
    request.resume()
    response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' })
    response.end(JSON.stringify({ error: { type, message: 'no' } }))
  }

beforeAll(async () => {
  origin = await startOrigin({
    '/v1/customers': failing(500, 'api_error'),
    '/v1/charges': failing(429, 'rate_limit_error'),
  })
})

afterAll(() => origin.stop())

/** Stripe on `fetch`, retrying once (its default is twice: each wait is at least half a second). */
const stripe = (fetch: typeof globalThis.fetch) => {
  const { hostname, port } = new URL(origin.url)
  return new Stripe('sk_test_fake', {
    host: hostname,
    port: Number(port),
    protocol: 'http',
    httpClient: Stripe.createFetchHttpClient(fetch),
    maxNetworkRetries: 1,
  })
}

const createCustomer = (fetch: typeof globalThis.fetch) => () =>
  stripe(fetch).customers.create({ email: 'a@b.c' })

const createCharge = (fetch: typeof globalThis.fetch) => () =>
  stripe(fetch).charges.create({ amount: 100, currency: 'usd', source: 'tok' })

describe.each(TRANSPORTS)('stripe on the $name transport', ({ make }) => {
  const toFetch = () => createClient({ transport: make() }).toFetch()

  it('retries a 500 as it does on global fetch, with one Idempotency-Key for both attempts', async () => {
    const global = await received.during(createCustomer(globalThis.fetch))
    expect(global).toBe(2)

    expect(await received.during(createCustomer(toFetch()))).toBe(global)
    const [first, second] = received.header('idempotency-key')
    expect(first).toMatch(/^stripe-node-retry-/)
    expect(second).toBe(first)
  })

  it('leaves a 429 unretried, as it does on global fetch', async () => {
    expect(await received.during(createCharge(globalThis.fetch))).toBe(1)
    expect(await received.during(createCharge(toFetch()))).toBe(1)
  })

  it("a client that retries would retry Stripe's keyed 429: the recipe keeps it off", async () => {
    const fetch = createClient({ transport: make(), ...retries(2) }).toFetch()
    expect(await received.during(createCharge(fetch))).toBe(3)
  })
})
