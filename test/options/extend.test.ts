/**
 * `client.extend(options)`: a client whose options are merged over its parent's, as ky's and got's
 * `extend` make one, sharing its parent's transport, cache store and retry budgets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { MemoryStore } from '../../src/stores.ts'
import { hangingFetch } from '../support/fake-fetch.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin
const sent = { fresh: 0, flaky: 0 }

beforeAll(async () => {
  origin = await startOrigin({
    '/echo': (request, response) => {
      const { headers, url } = request
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ headers, query: new URL(url ?? '', 'http://x').search }))
    },
    '/v2/echo': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('v2')
    },
    '/fresh': (_request, response) => {
      sent.fresh += 1
      response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=300' }).end('fresh')
    },
    '/flaky': (_request, response) => {
      sent.flaky += 1
      response.writeHead(503).end()
    },
  })
})

afterAll(async () => {
  await origin.stop()
})

interface Echo {
  headers: Record<string, string>
  query: string
}

describe('client.extend', () => {
  it("merges headers and search parameters by name, and runs the parent's hooks first", async () => {
    const order: string[] = []
    const parent = createClient({
      baseUrl: origin.url,
      headers: { authorization: 'Bearer parent', 'x-team': 'core' },
      searchParams: { v: 1, lang: 'en' },
      hooks: { beforeRequest: () => void order.push('parent') },
    })
    const child = parent.extend({
      headers: { 'x-team': 'payments', 'x-child': 'yes' },
      searchParams: { lang: 'fr' },
      hooks: { beforeRequest: () => void order.push('child') },
    })
    const result = await child.get<Echo>('echo')
    if (result.kind !== 'success') throw new Error(result.kind)
    expect(result.data.headers).toMatchObject({
      authorization: 'Bearer parent',
      'x-team': 'payments',
      'x-child': 'yes',
    })
    expect(new URLSearchParams(result.data.query).toString()).toBe('v=1&lang=fr')
    expect(order).toEqual(['parent', 'child'])
    // The parent is as it was.
    const own = await parent.get<Echo>('echo')
    if (own.kind !== 'success') throw new Error(own.kind)
    expect(own.data.headers['x-team']).toBe('core')
    expect(own.data.headers['x-child']).toBeUndefined()
  })

  it('overrides baseUrl and the policies field by field', async () => {
    const parent = createClient({ baseUrl: origin.url, timeout: { total: 20_000 }, retry: false })
    const child = parent.extend({ baseUrl: `${origin.url}/v2/`, responseType: 'text' })
    expect(await child.get('echo')).toMatchObject({ kind: 'success', data: 'v2' })
    // A child of a client without retries that asks for one retry gets the rest of the default policy.
    const retrying = parent.extend({ retry: { limit: 1, backoff: { initial: 1, max: 1, jitter: 'none' } } })
    sent.flaky = 0
    const flaky = await retrying.get('flaky')
    expect(flaky).toMatchObject({ kind: 'server-error', status: 503 })
    expect(sent.flaky).toBe(2)
  })

  it("shares its parent's cache store, unless it turns the cache off or brings its own", async () => {
    sent.fresh = 0
    const parent = createClient({ baseUrl: origin.url })
    await parent.get('fresh')
    const child = parent.extend({ headers: { 'x-child': 'yes' } })
    expect(await child.get('fresh')).toMatchObject({ kind: 'success', meta: { cache: 'hit' } })
    // Cache settings of its own still keep the parent's store.
    const noCacheMode = parent.extend({ cache: { mode: 'force-cache' } })
    expect(await noCacheMode.get('fresh')).toMatchObject({ meta: { cache: 'hit' } })
    expect(sent.fresh).toBe(1)
    expect(await parent.extend({ cache: false }).get('fresh')).toMatchObject({ meta: { cache: 'bypass' } })
    const ownStore = parent.extend({ cache: { store: new MemoryStore() } })
    expect(await ownStore.get('fresh')).toMatchObject({ meta: { cache: 'miss' } })
    expect(sent.fresh).toBe(3)
  })

  it("shares its parent's retry budget for each origin", async () => {
    const retry = {
      limit: 5,
      backoff: { initial: 1, max: 1, jitter: 'none' as const },
      // One retry per window, however many requests.
      budget: { ratio: 0, minPerSecond: 0.1, window: 10_000 },
    }
    const parent = createClient({ baseUrl: origin.url, retry })
    const child = parent.extend({ headers: { 'x-child': 'yes' } })
    const first = await parent.get('flaky')
    expect(first.meta.attempts).toHaveLength(2)
    // The child finds the budget its parent spent.
    const second = await child.get('flaky')
    expect(second.meta.attempts).toHaveLength(1)
    expect(second.meta.retryStop).toBe('budget')
    // A client made apart has its own.
    const apart = await createClient({ baseUrl: origin.url, retry }).get('flaky')
    expect(apart.meta.attempts).toHaveLength(2)
  })

  it("keeps the deadline its parent chose for toFetch(), where fetch's own default is none", async () => {
    const parent = createClient({ fetch: hangingFetch, timeout: { attempt: 50 }, retry: false })
    const asFetch = parent.extend({ headers: { 'x-child': 'yes' } }).toFetch()
    await expect(asFetch('http://slow.test/')).rejects.toMatchObject({ name: 'TimeoutError' })
  })

  it('checks its options as createClient does', () => {
    const parent = createClient()
    expect(() => parent.extend({ retry: -1 })).toThrow(/"retry"/)
    expect(() => parent.extend({ fetch: 'x' as never })).toThrow(TypeError)
  })
})
