/**
 * The default transport on Node: the undici one while global fetch is Node's own, and the global
 * fetch once something has replaced it (msw, an instrumented fetch), so that it sees the calls.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import { undiciLoaded } from '../../src/transport/load-undici.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/json': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
  })
})

afterAll(async () => {
  vi.unstubAllGlobals()
  await origin.stop()
})

/** Node's fetch marks a Resource Timing entry for every call; the undici transport, for request(), none. */
const sentByNodesFetch = (url: string) => performance.getEntriesByName(url, 'resource').length > 0

describe('a client given neither transport nor fetch, on Node', () => {
  it('sends the first calls with fetch, which is in the binary, then through undici once it has loaded', async () => {
    performance.clearResourceTimings()
    const client = createClient()
    // Before undici has loaded (issue 41: loading it took longer than a first request).
    const first = `${origin.url}/json?first`
    expect(await client.get(first)).toMatchObject({ kind: 'success', data: { a: 1 } })
    await vi.waitFor(() => expect(sentByNodesFetch(first)).toBe(true))
    // Loaded off the first call's path, a moment later.
    await vi.waitFor(() => expect(undiciLoaded()).toBe(true))
    const url = `${origin.url}/json?undici`
    expect(await client.get(url)).toMatchObject({ kind: 'success', data: { a: 1 } })
    // A call through Node's fetch after it does leave an entry; once that one is there, the
    // call's would be too.
    const control = `${origin.url}/json?fetch`
    await (await fetch(control)).text()
    await vi.waitFor(() => expect(sentByNodesFetch(control)).toBe(true))
    expect(sentByNodesFetch(url)).toBe(false)
  })

  it('sends through global fetch once it is replaced, and through undici again once it is back', async () => {
    const client = createClient()
    const seen: string[] = []
    const nodes = globalThis.fetch
    vi.stubGlobal('fetch', (input: URL, init: RequestInit) => {
      seen.push(String(input))
      return nodes(input, init)
    })
    expect(await client.get(`${origin.url}/json?replaced`)).toMatchObject({ kind: 'success' })
    expect(seen).toEqual([`${origin.url}/json?replaced`])
    vi.unstubAllGlobals()
    expect(await client.get(`${origin.url}/json?restored`)).toMatchObject({ kind: 'success' })
    expect(seen).toHaveLength(1)
  })
})
