/**
 * Octokit (`@octokit/rest`) through `toFetch()`, against a loopback fake of GitHub's API. Octokit
 * retries nothing on its own, and throws on a 304: a default `toFetch()` sends what it sends with
 * global fetch; the recipe gives the retries to the client, and the cache revalidates each
 * request with the ETag GitHub sent, a 304 reaching Octokit as the stored 200.
 */
import { Octokit } from '@octokit/rest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../../support/loopback-origin.ts'
import { downRoute, Received, retries } from './counting.ts'

const PAGES = 3
const received = new Received()
let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/repos/o/r': downRoute(received, '{"message":"down"}'),
    // Three pages of issues as GitHub answers them: private for a minute, an ETag each.
    '/repos/o/r/issues': (request, response) => {
      received.add(request.headers)
      const page = Number(new URL(request.url ?? '', origin.url).searchParams.get('page') ?? 1)
      const etag = `"page-${page}"`
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'private, max-age=60, s-maxage=60',
        vary: 'Accept, Authorization, Cookie',
        etag,
      }
      if (page < PAGES) headers.link = `<${origin.url}/repos/o/r/issues?page=${page + 1}>; rel="next"`
      if (request.headers['if-none-match'] === etag) return void response.writeHead(304, headers).end()
      response.writeHead(200, headers).end(JSON.stringify([{ number: page }]))
    },
  })
})

afterAll(() => origin.stop())

const octokit = (fetch: typeof globalThis.fetch) => new Octokit({ baseUrl: origin.url, request: { fetch } })

const issues = (fetch: typeof globalThis.fetch) => () =>
  octokit(fetch).paginate('GET /repos/{owner}/{repo}/issues', { owner: 'o', repo: 'r' })

describe('Octokit (retries nothing on its own)', () => {
  const getRepo = (fetch: typeof globalThis.fetch) =>
    received.during(() => octokit(fetch).repos.get({ owner: 'o', repo: 'r' }))

  it('sends with a default toFetch() what it sends with global fetch', async () => {
    const global = await getRepo(globalThis.fetch)
    expect(global).toBe(1)
    expect(await getRepo(createClient().toFetch())).toBe(global)
  })

  it('with the recipe, the client retries for it', async () => {
    expect(await getRepo(createClient(retries(2)).toFetch())).toBe(3)
  })

  it('pages as on global fetch, a minute-fresh private answer asked for again each time', async () => {
    const global = await received.during(async () => {
      await issues(globalThis.fetch)()
      await issues(globalThis.fetch)()
    })
    expect(global).toBe(2 * PAGES)
    const fetch = createClient().toFetch()
    expect(await received.during(async () => expect(await issues(fetch)()).toHaveLength(PAGES))).toBe(PAGES)
    expect(await received.during(issues(fetch))).toBe(PAGES)
    expect(received.header('if-none-match')).toEqual(Array(PAGES).fill(undefined))
  })

  it("with the recipe's cache, each page is revalidated and a 304 reaches Octokit as the stored page", async () => {
    const fetch = createClient({ cache: { mode: 'no-cache' } }).toFetch()
    await received.during(issues(fetch))
    let pages: unknown
    expect(await received.during(async () => (pages = await issues(fetch)()))).toBe(PAGES)
    expect(pages).toEqual([{ number: 1 }, { number: 2 }, { number: 3 }])
    expect(received.header('if-none-match')).toEqual(['"page-1"', '"page-2"', '"page-3"'])
  })
})
