/**
 * The recipes of docs/sdks.md, each run with the real SDK against a loopback origin: handed a
 * default `toFetch()`, an SDK sends exactly the requests it sends with global fetch; with the
 * recipe, exactly one layer retries, and the count is the recipe's.
 */
import { request as octokitRequest } from '@octokit/request'
import ky from 'ky'
import { createFetch } from 'ofetch'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin
let requests = 0

beforeAll(async () => {
  origin = await startOrigin({
    // Down for good, asking for no wait: every retry anyone makes reaches it at once.
    '/down': (_request, response) => {
      requests += 1
      response.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{}')
    },
    '/fresh': (_request, response) => {
      requests += 1
      response.writeHead(200, { 'cache-control': 'max-age=60', 'content-type': 'application/json' })
      response.end(JSON.stringify({ request: requests }))
    },
  })
})

afterAll(() => origin.stop())

beforeEach(() => {
  requests = 0
})

/** A client's retries, with no wait between them and no budget, so that counts are exact. */
const retries = (limit: number) => ({
  retry: { limit, backoff: { initial: 1, max: 1 }, budget: false as const },
})

/** How many requests `call` sends, whatever it ends with. */
async function sent(call: () => Promise<unknown>): Promise<number> {
  requests = 0
  await call().catch(() => {})
  return requests
}

describe('ky (retries GET twice on its own)', () => {
  const get = (fetch: typeof globalThis.fetch, options: Parameters<typeof ky.get>[1] = {}) =>
    sent(() => ky.get(`${origin.url}/down`, { fetch, ...options }).json())

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
    expect(requests).toBe(2)
    await ky.get(`${origin.url}/fresh`, { fetch }).json()
    const stored = await ky.get(`${origin.url}/fresh`, { fetch }).json()
    expect([requests, stored]).toEqual([3, { request: 3 }])
  })
})

describe('ofetch (retries GET once on its own)', () => {
  it('sends with a default toFetch() what it sends with global fetch', async () => {
    const global = await sent(() => createFetch({ fetch: globalThis.fetch })(`${origin.url}/down`))
    expect(global).toBe(2)
    const fetch = createClient().toFetch()
    expect(await sent(() => createFetch({ fetch })(`${origin.url}/down`))).toBe(global)
  })

  it("with the recipe, fetchkind retries and ofetch does not: ofetch's retry 0, the client's retry", async () => {
    const fetch = createClient(retries(1)).toFetch()
    expect(await sent(() => createFetch({ fetch })(`${origin.url}/down`, { retry: 0 }))).toBe(2)
  })
})

describe('Octokit (retries nothing on its own)', () => {
  const get = (fetch: typeof globalThis.fetch) =>
    sent(() => octokitRequest('GET /down', { baseUrl: origin.url, request: { fetch } }))

  it('sends with a default toFetch() what it sends with global fetch', async () => {
    const global = await get(globalThis.fetch)
    expect(global).toBe(1)
    expect(await get(createClient().toFetch())).toBe(global)
  })

  it('with the recipe, the client retries for it', async () => {
    expect(await get(createClient(retries(2)).toFetch())).toBe(3)
  })
})
