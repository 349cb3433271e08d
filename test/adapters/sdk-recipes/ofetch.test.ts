/**
 * ofetch through `toFetch()`, against a loopback origin. ofetch retries a GET once on its own:
 * a default `toFetch()` sends what it sends with global fetch; the recipe moves the retries to
 * the client.
 */
import { createFetch } from 'ofetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../../support/loopback-origin.ts'
import { downRoute, Received, retries } from './counting.ts'

const received = new Received()
let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/down': downRoute(received),
  })
})

afterAll(() => origin.stop())

describe('ofetch (retries GET once on its own)', () => {
  it('sends with a default toFetch() what it sends with global fetch', async () => {
    const global = await received.during(() => createFetch({ fetch: globalThis.fetch })(`${origin.url}/down`))
    expect(global).toBe(2)
    const fetch = createClient().toFetch()
    expect(await received.during(() => createFetch({ fetch })(`${origin.url}/down`))).toBe(global)
  })

  it("with the recipe, fetchkind retries and ofetch does not: ofetch's retry 0, the client's retry", async () => {
    const fetch = createClient(retries(1)).toFetch()
    expect(await received.during(() => createFetch({ fetch })(`${origin.url}/down`, { retry: 0 }))).toBe(2)
  })
})
