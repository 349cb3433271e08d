/**
 * ky through `toFetch()`, against a loopback origin. ky retries GETs on its own and hands fetch
 * every call as a `Request`: a default `toFetch()` reads that Request as fetch does (its cache
 * mode included) and sends what ky sends with global fetch; the recipe moves the retries to the
 * client.
 */
import ky from 'ky'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../../support/loopback-origin.ts'
import { downRoute, Received, retries } from './counting.ts'

const received = new Received()
let origin: LoopbackOrigin
let fresh = 0

beforeAll(async () => {
  origin = await startOrigin({
    '/down': downRoute(received),
    '/fresh': (request, response) => {
      received.add(request.headers)
      fresh += 1
      response.writeHead(200, { 'cache-control': 'max-age=60', 'content-type': 'application/json' })
      response.end(JSON.stringify({ request: fresh }))
    },
  })
})

afterAll(() => origin.stop())

beforeEach(() => {
  fresh = 0
})

describe('ky (retries GET twice on its own)', () => {
  const get = (fetch: typeof globalThis.fetch, options: Parameters<typeof ky.get>[1] = {}) =>
    received.during(() => ky.get(`${origin.url}/down`, { fetch, ...options }).json())

  it('sends with a default toFetch() what it sends with global fetch', async () => {
    const global = await get(globalThis.fetch)
    expect(global).toBe(3)
    expect(await get(createClient().toFetch())).toBe(global)
  })

  it("with the recipe, fetchkind retries and ky does not: ky's retry 0, the client's retry", async () => {
    expect(await get(createClient(retries(2)).toFetch(), { retry: 0 })).toBe(3)
  })

  it("keeps ky's own cache mode: a Request's 'no-store' is not answered from the client's cache", async () => {
    const fetch = createClient({ cache: {} }).toFetch()
    const read = () => ky.get(`${origin.url}/fresh`, { fetch, cache: 'no-store' }).json()
    await read()
    await read()
    expect(fresh).toBe(2)
    await ky.get(`${origin.url}/fresh`, { fetch }).json()
    const stored = await ky.get(`${origin.url}/fresh`, { fetch }).json()
    expect([fresh, stored]).toEqual([3, { request: 3 }])
  })
})
