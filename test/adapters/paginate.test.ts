/** `client.paginate`: the pages of a listing, following Link rel="next" or the caller's `next`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/items': (request, response) => {
      const url = new URL(request.url ?? '', 'http://x')
      const page = Number(url.searchParams.get('page') ?? 1)
      if (url.searchParams.get('fail') === String(page)) return void response.writeHead(500).end()
      const links = [`</items?page=1>; rel="first"`]
      // Relative and absolute targets, and rel with several types, as APIs send them.
      if (page === 1) links.push(`<items?page=2${failing(url)}>; rel="next last"`)
      if (page === 2) links.push(`<${origin.url}/items?page=3${failing(url)}>; title="a, b"; rel=next`)
      response.writeHead(200, { 'content-type': 'application/json', link: links.join(', ') })
      response.end(JSON.stringify({ page, next: page < 3 ? `/items?page=${page + 1}` : null }))
    },
  })
})

afterAll(async () => {
  await origin.stop()
})

function failing(url: URL): string {
  const fail = url.searchParams.get('fail')
  return fail ? `&fail=${fail}` : ''
}

async function collect<T>(pages: AsyncIterable<Result<T>>): Promise<Result<T>[]> {
  const results: Result<T>[] = []
  for await (const result of pages) results.push(result)
  return results
}

interface Page {
  page: number
  next: string | null
}

describe('client.paginate', () => {
  const client = () => createClient({ baseUrl: origin.url, retry: false })

  it('follows Link rel="next" to the last page', async () => {
    const results = await collect(client().paginate<Page>('/items'))
    expect(results.map((result) => result.kind === 'success' && result.data.page)).toEqual([1, 2, 3])
  })

  it('stops at the first result that is not a success, which it yields', async () => {
    const results = await collect(client().paginate<Page>('/items?fail=2'))
    expect(results.map((result) => result.kind)).toEqual(['success', 'server-error'])
  })

  it('stops at the page limit', async () => {
    const results = await collect(client().paginate('/items', {}, { limit: 2 }))
    expect(results).toHaveLength(2)
  })

  it("follows the caller's next instead, until it gives none", async () => {
    const seen: number[] = []
    const pages = client().paginate<Page>('/items', {}, { next: (result) => result.data.next })
    for await (const result of pages) if (result.kind === 'success') seen.push(result.data.page)
    expect(seen).toEqual([1, 2, 3])
  })

  it('checks its options at the call', () => {
    expect(() => client().paginate('/items', {}, { limit: 0 })).toThrow(/"limit"/)
    expect(() => client().paginate('/items', {}, { next: 'x' as never })).toThrow(/"next"/)
  })
})
