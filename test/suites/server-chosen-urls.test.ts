/**
 * Every place a URL enters from a server and is then requested (issue 35), each run through the
 * same hostile set on both transports: a redirect's Location, a page's `Link: rel="next"`, and a
 * URL in a page's body that the caller's `next` returns. (A 201's or a refused redirect's
 * Location is reported as `result.location` and never requested; the cache's invalidation by
 * Location and Content-Location touches only the same origin, tested in test/cache.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Result } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS } from '../support/transports.ts'

let origin: LoopbackOrigin
let elsewhere: LoopbackOrigin
const seenElsewhere: IncomingMessage['headers'][] = []
/** Each journey's road and target, by number: none of it in the URL the client is given. */
const journeys: { road: Road; target: string }[] = []

/** What a server answers to make a client go to `target`: each road a server has. */
const ROADS = {
  redirect: (target: string, response: ServerResponse) => response.writeHead(302, { location: target }).end(),
  'Link rel="next"': (target: string, response: ServerResponse) =>
    response
      .writeHead(200, { link: `<${target}>; rel="next"`, 'content-type': 'application/json' })
      .end('{}'),
  "the caller's next, from the body": (target: string, response: ServerResponse) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ next: target })),
} as const
type Road = keyof typeof ROADS

beforeAll(async () => {
  elsewhere = await startOrigin({
    '/': (request, response) => {
      seenElsewhere.push(request.headers)
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    },
  })
  origin = await startOrigin({
    '/start': (request, response) => {
      const journey = journeys[Number(new URL(request.url ?? '', 'http://x').searchParams.get('journey'))]
      if (journey) ROADS[journey.road](journey.target, response)
    },
  })
})

afterAll(async () => {
  await Promise.all([origin.stop(), elsewhere.stop()])
})

/** Follows `road` to `target` from the origin, and gives the last result the call or the pages ended with. */
async function travel(
  road: Road,
  target: string,
  options: Parameters<typeof createClient>[0],
): Promise<Result> {
  const client = createClient({ retry: false, ...options })
  const start = `${origin.url}/start?journey=${journeys.push({ road, target }) - 1}`
  const init = { headers: { 'x-api-key': 'request-key' }, responseType: 'json' } as const
  if (road === 'redirect') return client.get(start, init)
  const pagination =
    road === 'Link rel="next"'
      ? {}
      : { next: (page: { data: unknown }) => (page.data as { next?: string }).next }
  let last: Result | undefined
  for await (const page of client.paginate(start, init, pagination)) last = page
  return last as Result
}

/** Everything a result shows: its fields, its headers, its meta, its error's message. */
function everythingIn(result: Result): string {
  const { headers, ...rest } = result as Result & { headers?: Headers }
  const error = 'error' in result ? String((result.error as Error | undefined)?.message) : ''
  return JSON.stringify({
    ...rest,
    headers: headers ? [...headers] : [],
    error,
    location: String((rest as { location?: URL }).location),
  })
}

describe.each(TRANSPORTS)('URLs a server chose, on the $name transport', ({ make }) => {
  describe.each(Object.keys(ROADS) as Road[])('by %s', (road) => {
    it('sends another origin no credentials, the client’s or the request’s', async () => {
      seenElsewhere.length = 0
      const result = await travel(road, `${elsewhere.url}/`, {
        transport: make(),
        headers: { authorization: 'Bearer client-secret' },
      })
      expect(result.kind).toBe('success')
      expect(seenElsewhere).toHaveLength(1)
      expect(seenElsewhere[0]).not.toHaveProperty('authorization')
      expect(seenElsewhere[0]).not.toHaveProperty('x-api-key')
    })

    it.each(['file:///etc/passwd', 'data:text/plain,secret', 'javascript:alert(1)'])(
      'ends with a result, not a throw, for %s',
      async (target) => {
        const result = await travel(road, target, { transport: make() })
        expect(result.kind).toMatch(/^(redirect|network-error)$/)
        if (result.kind === 'redirect') expect(result.reason).toBe('protocol')
        else expect(result).toMatchObject({ code: 'ERR_REFUSED_HOP', error: { reason: 'protocol' } })
      },
    )

    it('refuses userinfo, and shows its password nowhere', async () => {
      const target = elsewhere.url.replace('//', '//user:hunter2@')
      seenElsewhere.length = 0
      const result = await travel(road, `${target}/`, { transport: make() })
      expect(result.kind).toMatch(/^(redirect|network-error)$/)
      expect(everythingIn(result)).not.toContain('hunter2')
      expect(seenElsewhere).toHaveLength(0)
    })

    it('refuses a private address under the guard, with nothing sent there', async () => {
      const result = await travel(road, `http://127.0.0.2:${new URL(elsewhere.url).port}/`, {
        transport: make(),
        blockPrivateAddresses: { allow: ['127.0.0.1'] },
      })
      expect(result).toMatchObject({ kind: 'network-error', code: 'ERR_BLOCKED_ADDRESS' })
      expect(result.meta.attempts.every((attempt) => !attempt.url.includes('127.0.0.2'))).toBe(true)
    })
  })
})
