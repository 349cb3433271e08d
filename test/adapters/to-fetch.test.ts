/**
 * `client.toFetch()` behaves as fetch does: the same checks run against raw fetch and against it,
 * side by side, on one loopback origin. Then a real SDK (Octokit's request) is given it.
 */
import { createHash } from 'node:crypto'
import { request as octokitRequest } from '@octokit/request'
import { setGlobalOrigin } from 'undici'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, fromResponse } from '../../src/index.ts'
import { fetchTransport } from '../../src/transport.ts'
import { undiciTransport } from '../../src/undici.ts'
import { hangingFetch } from '../support/fake-fetch.ts'
import { closedPort, type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { REFERRER_POLICIES } from '../support/referrer-policies.ts'

let origin: LoopbackOrigin
let flaky = 0
let repoRequests: { inm: string | undefined }[] = []
/** Requests each counting route has had, by path. */
const counted = new Map<string, number>()
const count = (path: string) => counted.set(path, (counted.get(path) ?? 0) + 1)
/** A body larger than the default `maxBodySize` (64 MiB), written a MiB at a time. */
const BIG = 70 * 1024 * 1024
const MIB = Buffer.alloc(1024 * 1024, 7)

beforeAll(async () => {
  origin = await startOrigin({
    '/json': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
    '/missing': (_request, response) =>
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing'),
    '/broken': (_request, response) => response.writeHead(500).end('broken'),
    '/moved': (_request, response) => response.writeHead(301, { location: '/json' }).end(),
    '/echo': (request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        response.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' })
        response.end(
          JSON.stringify({ method: request.method, body, auth: request.headers.authorization ?? null }),
        )
      })
    },
    '/empty': (_request, response) => response.writeHead(204).end(),
    '/proxy-auth': (_request, response) =>
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="proxy"' }).end('who are you'),
    '/target': (request, response) => response.end(request.url),
    '/referer': (request, response) => response.end(request.headers.referer ?? '(none)'),
    // A redirect to /referer (or to `to`) that sets a Referrer-Policy when given one.
    '/referer-hop': (request, response) => {
      const query = new URL(request.url ?? '/', 'http://x').searchParams
      const policy = query.get('policy')
      response.writeHead(302, {
        location: query.get('to') ?? '/referer',
        ...(policy === null ? {} : { 'referrer-policy': policy }),
      })
      response.end()
    },
    // Location's bytes are the UTF-8 of /안녕, as a server writes them.
    '/hangul': (_request, response) => {
      response.setHeader('location', Buffer.from('/안녕').toString('latin1'))
      response.writeHead(302).end()
    },
    '/%EC%95%88%EB%85%95': (_request, response) => response.end('hello'),
    '/onwards': (request, response) => {
      const step = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('step') ?? 0)
      response.writeHead(302, { location: `/onwards?step=${step + 1}` }).end()
    },
    '/chain': (request, response) => {
      const left = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('left') ?? 0)
      if (left === 0) return response.end('arrived')
      response.writeHead(302, { location: `/chain?left=${left - 1}` }).end()
    },
    // A 302 whose body arrives a piece at a time, after its head.
    '/moved-slowly': (_request, response) => {
      response.writeHead(302, { location: '/json' })
      let sent = 0
      const timer = setInterval(() => {
        response.write('hello!'[sent++])
        if (sent === 6) {
          clearInterval(timer)
          response.end()
        }
      }, 5)
    },
    '/never': () => {},
    // A head and a first piece of body, then nothing more.
    '/stalls': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.write('first piece')
    },
    '/flaky': (_request, response) => {
      flaky += 1
      if (flaky % 2 === 1) return response.writeHead(503, { 'retry-after': '0' }).end()
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"flaky":"recovered"}')
    },
    '/always-503': (_request, response) => {
      count('/always-503')
      response.writeHead(503, { 'retry-after': '0' }).end('unavailable')
    },
    '/fresh-for-a-minute': (_request, response) => {
      count('/fresh-for-a-minute')
      response
        .writeHead(200, { 'cache-control': 'max-age=60' })
        .end(String(counted.get('/fresh-for-a-minute')))
    },
    // How a request body arrived: its framing and its size.
    '/framing': (request, response) => {
      let size = 0
      request.on('data', (chunk: Buffer) => (size += chunk.byteLength))
      request.on('end', () =>
        response.end(
          JSON.stringify({
            length: request.headers['content-length'] ?? null,
            chunked: request.headers['transfer-encoding'] === 'chunked',
            size,
          }),
        ),
      )
    },
    '/request-headers': (request, response) =>
      response.end(JSON.stringify({ a: request.headers['x-a'] ?? null, b: request.headers['x-b'] ?? null })),
    '/big': async (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG) })
      for (let sent = 0; sent < BIG; sent += MIB.byteLength) {
        if (!response.write(MIB)) await new Promise((resolve) => response.once('drain', resolve))
      }
      response.end()
    },
    '/repos/ada/engine': (request, response) => {
      repoRequests.push({ inm: request.headers['if-none-match'] })
      if (request.headers['if-none-match'] === '"r1"') return response.writeHead(304, { etag: '"r1"' }).end()
      response.writeHead(200, {
        'content-type': 'application/json',
        etag: '"r1"',
        'cache-control': 'no-cache',
      })
      response.end('{"full_name":"ada/engine","stargazers_count":42}')
    },
  })
})

afterAll(async () => {
  await undici.close()
  await origin.stop()
})

const undici = undiciTransport()

/** The Resource Timing entries named `url`, once `count` of them are there. */
async function resourceEntries(url: string, count: number): Promise<PerformanceResourceTiming[]> {
  const named = () => performance.getEntriesByName(url, 'resource') as PerformanceResourceTiming[]
  await vi.waitFor(() => expect(named()).toHaveLength(count))
  return named()
}

const implementations = [
  ['raw fetch', () => globalThis.fetch],
  ['client.toFetch()', () => createClient({ retry: false, transport: fetchTransport() }).toFetch()],
  [
    'client.toFetch() on the undici transport',
    () => createClient({ retry: false, transport: undici }).toFetch(),
  ],
] as const

describe.each(implementations)('%s', (_name, make) => {
  const fetch = (input: RequestInfo | URL, init?: RequestInit) => make()(input, init)

  it('resolves a success with status, headers, url and a body to read any way', async () => {
    const response = await fetch(`${origin.url}/json`)
    expect([response.status, response.ok, response.statusText]).toEqual([200, true, 'OK'])
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.url).toBe(`${origin.url}/json`)
    expect(response.redirected).toBe(false)
    expect(await response.json()).toEqual({ a: 1 })
    expect(response.bodyUsed).toBe(true)
  })

  it('resolves 4xx and 5xx as responses, not rejections', async () => {
    const missing = await fetch(`${origin.url}/missing`)
    expect([missing.status, missing.ok, await missing.text()]).toEqual([404, false, 'no such thing'])
    expect((await fetch(`${origin.url}/broken`)).status).toBe(500)
  })

  it('follows a redirect and says so', async () => {
    const response = await fetch(`${origin.url}/moved`)
    expect([response.status, response.url, response.redirected]).toEqual([200, `${origin.url}/json`, true])
  })

  it("returns the 3xx itself with redirect: 'manual'", async () => {
    const response = await fetch(`${origin.url}/moved`, { redirect: 'manual' })
    expect([response.status, response.headers.get('location')]).toEqual([301, '/json'])
  })

  it("rejects a redirect with redirect: 'error', the cause saying why", async () => {
    const refused = await fetch(`${origin.url}/moved`, { redirect: 'error' }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(TypeError)
    expect((refused as TypeError).cause).toMatchObject({ message: 'unexpected redirect' })
  })

  it("gives the 3xx's body with redirect: 'manual', as it arrives", async () => {
    const response = await fetch(`${origin.url}/moved-slowly`, { redirect: 'manual' })
    expect([response.status, response.headers.get('location'), await response.text()]).toEqual([
      302,
      '/json',
      'hello!',
    ])
  })

  it('follows up to 20 redirects, as the Fetch standard does', async () => {
    const response = await fetch(`${origin.url}/chain?left=20`)
    expect([response.status, response.redirected, await response.text()]).toEqual([200, true, 'arrived'])
    await expect(fetch(`${origin.url}/chain?left=21`)).rejects.toThrow(TypeError)
  })

  it('sends a method, headers and a body, from init or from a Request', async () => {
    const fromInit = await fetch(`${origin.url}/echo`, {
      method: 'POST',
      body: 'hi',
      headers: { authorization: 'Bearer x' },
    })
    expect([fromInit.status, await fromInit.json()]).toEqual([
      201,
      { method: 'POST', body: 'hi', auth: 'Bearer x' },
    ])
    const request = new Request(`${origin.url}/echo`, {
      method: 'PUT',
      body: 'from a Request',
      headers: { authorization: 'Bearer y' },
    })
    expect(await (await fetch(request)).json()).toEqual({
      method: 'PUT',
      body: 'from a Request',
      auth: 'Bearer y',
    })
  })

  it("replaces a Request's headers with init's, as the Request constructor does", async () => {
    const request = new Request(`${origin.url}/request-headers`, { headers: { 'x-a': '1' } })
    const response = await fetch(request, { headers: { 'x-b': '2' } })
    expect(await response.json()).toEqual({ a: null, b: '2' })
  })

  it("sends a Request's body as fetch does: a string with its length, a stream as it is produced", async () => {
    const short = new Request(`${origin.url}/framing`, { method: 'POST', body: 'twelve bytes' })
    expect(await (await fetch(short)).json()).toEqual({ length: '12', chunked: false, size: 12 })
    // A megabyte produced a piece at a time: streamed, no length made up, never whole in memory.
    let produced = 0
    const pieces = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced === 64) return controller.close()
        produced++
        controller.enqueue(new Uint8Array(16 * 1024).fill(1))
      },
    })
    const long = new Request(`${origin.url}/framing`, {
      method: 'POST',
      body: pieces,
      duplex: 'half',
    } as RequestInit)
    expect(await (await fetch(long)).json()).toEqual({ length: null, chunked: true, size: 1024 * 1024 })
  })

  it('gives a 204 no body', async () => {
    const response = await fetch(`${origin.url}/empty`)
    expect([response.status, response.body, await response.text()]).toEqual([204, null, ''])
  })

  it('rejects a 407: no user is there to give proxy credentials', async () => {
    await expect(fetch(`${origin.url}/proxy-auth`)).rejects.toThrow(new TypeError('fetch failed'))
  })

  it('rejects a network failure with a TypeError', async () => {
    const port = await closedPort()
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow(TypeError)
  })

  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController()
    const pending = fetch(`${origin.url}/never`, { signal: controller.signal })
    const reason = new DOMException('stop', 'AbortError')
    setTimeout(() => controller.abort(reason), 20)
    await expect(pending).rejects.toBe(reason)
  })

  it("fails the body's read with the signal's reason when aborted mid-body", async () => {
    const controller = new AbortController()
    const response = await fetch(`${origin.url}/stalls`, { signal: controller.signal })
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first piece')
    const reason = new DOMException('enough', 'AbortError')
    controller.abort(reason)
    await expect(reader.read()).rejects.toBe(reason)
  })

  it('rejects an invalid URL with a TypeError', async () => {
    await expect(fetch('not a url')).rejects.toThrow(new TypeError('Failed to parse URL from not a url'))
  })

  it('rejects a URL with credentials in it, with a TypeError that says so', async () => {
    const url = origin.url.replace('http://', 'http://user:hunter2@')
    await expect(fetch(`${url}/json`)).rejects.toThrow(/includes credentials/)
  })

  it("resolves a relative URL against undici's global origin, when one is set", async () => {
    await expect(fetch('/json')).rejects.toThrow(new TypeError('Failed to parse URL from /json'))
    setGlobalOrigin(origin.url)
    try {
      const response = await fetch('/json')
      expect([response.url, await response.json()]).toEqual([`${origin.url}/json`, { a: 1 }])
    } finally {
      setGlobalOrigin(undefined)
    }
  })

  it('rejects a network failure with the system error as its cause', async () => {
    const port = await closedPort()
    const failed = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error)
    expect(failed).toBeInstanceOf(TypeError)
    expect((failed as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('follows a non-ASCII Location as the UTF-8 it is', async () => {
    const response = await fetch(`${origin.url}/hangul`)
    expect([response.url, await response.text()]).toEqual([`${origin.url}/%EC%95%88%EB%85%95`, 'hello'])
  })

  it('rejects a chain of redirects past its limit', async () => {
    await expect(fetch(`${origin.url}/onwards`)).rejects.toThrow(TypeError)
  })

  it('cancels a stream body when the signal is already aborted', async () => {
    let cancelled: unknown = null
    const body = new ReadableStream({
      cancel: (why) => {
        cancelled = why ?? 'cancelled'
      },
    })
    const reason = new DOMException('gave up', 'AbortError')
    const init = { method: 'POST', body, duplex: 'half', signal: AbortSignal.abort(reason) } as RequestInit
    await expect(fetch(`${origin.url}/echo`, init)).rejects.toBe(reason)
    expect(cancelled).not.toBeNull()
  })

  it('checks init.integrity: a matching body resolves, any other rejects', async () => {
    const sha256 = `sha256-${createHash('sha256').update('{"a":1}').digest('base64')}`
    expect(await (await fetch(`${origin.url}/json`, { integrity: sha256 })).json()).toEqual({ a: 1 })
    await expect(fetch(`${origin.url}/json`, { integrity: 'sha256-AAAA' })).rejects.toThrow(TypeError)
    expect((await fetch(`${origin.url}/json`, { integrity: 'md5-AAAA' })).status).toBe(200)
  })

  it('sends through init.dispatcher (a proxy agent, a mock), its failure the cause', async () => {
    const sent: string[] = []
    // The least a dispatcher is: dispatch(). This one fails every request, in the handler API of
    // whichever undici calls it (Node's bundled one, or fetchkind's).
    const dispatcher = {
      dispatch: (
        options: { method: string; path: string },
        handler: Record<string, (...args: unknown[]) => void>,
      ) => {
        sent.push(`${options.method} ${options.path}`)
        const stop = new Error('stop')
        if (handler.onResponseError) handler.onResponseError(null, stop)
        else handler.onError?.(stop)
        return true
      },
    }
    const failed = await fetch(`${origin.url}/json?x#y`, { dispatcher } as RequestInit).catch(
      (error) => error,
    )
    expect(failed).toBeInstanceOf(TypeError)
    expect((failed as TypeError).cause).toMatchObject({ message: 'stop' })
    expect(sent).toEqual(['GET /json?x'])
  })

  it('marks a Resource Timing entry once the body is read, timings in order', async () => {
    // The buffer holds 250 entries, and the calls before this one have filled it.
    performance.clearResourceTimings()
    const url = `${origin.url}/json?timing=${crypto.randomUUID()}`
    const response = await fetch(url)
    await response.text()
    const [entry] = await resourceEntries(url, 1)
    // (responseStatus too, where the runtime's fetch passes it on: Node 22's does not.)
    expect(entry).toMatchObject({ entryType: 'resource', initiatorType: 'fetch' })
    expect([entry?.encodedBodySize, entry?.decodedBodySize, entry?.transferSize]).toEqual([7, 7, 307])
    const order = [
      'startTime',
      'fetchStart',
      'domainLookupStart',
      'domainLookupEnd',
      'connectStart',
      'connectEnd',
      'requestStart',
      'responseStart',
      'responseEnd',
    ] as const
    const times = order.map((name) => (entry as PerformanceResourceTiming)[name])
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(times[0]).toBeGreaterThan(0)
  })

  it("gives a response of type 'basic'", async () => {
    expect((await fetch(`${origin.url}/json`)).type).toBe('basic')
  })

  it('is named fetch, and its clones keep url and redirected', async () => {
    expect(make().name).toBe('fetch')
    const response = await fetch(`${origin.url}/moved`)
    const clone = response.clone()
    expect([clone.url, clone.redirected, await clone.json()]).toEqual([`${origin.url}/json`, true, { a: 1 }])
  })
})

describe('init.referrer and init.referrerPolicy', () => {
  const POLICIES = REFERRER_POLICIES
  const referrers = () => [
    `${origin.url}/page?q=1#frag`,
    'http://other.example/page?q=1',
    'https://secure.example/x',
  ]
  /** Referer sent per `referrer policy` pair, as `referrer|policy` → header. */
  const sentReferers = async (fetch: typeof globalThis.fetch) => {
    const sent = new Map<string, string>()
    for (const referrer of referrers()) {
      for (const referrerPolicy of POLICIES) {
        const response = await fetch(`${origin.url}/referer`, { referrer, referrerPolicy })
        sent.set(`${referrer}|${referrerPolicy}`, await response.text())
      }
    }
    return sent
  }

  /**
   * What the Referrer Policy standard has fetch send to this origin, written out: the target is
   * loopback, which is potentially trustworthy, so no policy sees a downgrade. Raw fetch is no
   * oracle here: Node 24's agrees but for the same-origin referrer under 'same-origin' and
   * 'origin-when-cross-origin' (it compares with its own, absent, origin), and Node 22's sends an
   * origin even under 'no-referrer'.
   */
  const standard = () => {
    const [same, other, secure] = referrers()
    const page = `${origin.url}/page?q=1`
    const home = `${origin.url}/`
    const otherHome = 'http://other.example/'
    const otherPage = 'http://other.example/page?q=1'
    const secureHome = 'https://secure.example/'
    const securePage = 'https://secure.example/x'
    const rows: [string | undefined, string[]][] = [
      [same, [page, '(none)', page, page, home, home, page, page, page]],
      [
        other,
        [otherHome, '(none)', otherPage, '(none)', otherHome, otherHome, otherHome, otherHome, otherPage],
      ],
      [
        secure,
        [
          secureHome,
          '(none)',
          securePage,
          '(none)',
          secureHome,
          secureHome,
          secureHome,
          secureHome,
          securePage,
        ],
      ],
    ]
    return new Map(
      rows.flatMap(([referrer, sent]) => POLICIES.map((policy, n) => [`${referrer}|${policy}`, sent[n]])),
    )
  }

  it.each(implementations.slice(1))(
    '%s sends the Referer the standard says, for every policy',
    async (_name, make) => {
      expect(await sentReferers(make())).toEqual(standard())
    },
  )

  // Node 22's fetch sends an origin under 'no-referrer'; Node 24's follows the standard here.
  const nodeMajor = Number(process.versions.node.split('.')[0])
  it.each(nodeMajor >= 24 ? implementations : implementations.slice(1))(
    "%s sends each hop the Referer for its URL, under the policy a redirect's Referrer-Policy sets",
    async (_name, make) => {
      const fetch = make()
      const referrer = `${origin.url}/index.html?test=1`
      const hop = async (policy: string | null, to?: string) => {
        const query = new URLSearchParams({
          ...(policy === null ? {} : { policy }),
          ...(to === undefined ? {} : { to }),
        })
        return (await fetch(`${origin.url}/referer-hop?${query}`, { referrer })).text()
      }
      const home = `${origin.url}/`
      expect(await hop(null)).toBe(referrer)
      expect(await hop('origin')).toBe(home)
      expect(await hop('no-referrer')).toBe('(none)')
      expect(await hop('unsafe-url')).toBe(referrer)
      expect(await hop('asdasd')).toBe(referrer)
      // The last token that names a policy wins; the empty and unknown ones are skipped.
      expect(await hop('origin, asdas, asdaw34, no-referrer,,')).toBe('(none)')
      expect(await hop('no-referrer, asdas, origin, 0943sd')).toBe(home)
      // Another origin (localhost is not 127.0.0.1) gets only the origin, by the default policy.
      const elsewhere = `${origin.url.replace('127.0.0.1', 'localhost')}/referer`
      expect(await hop(null, elsewhere)).toBe(home)
      expect(await hop('unsafe-url', elsewhere)).toBe(referrer)
    },
  )
})

describe('the undici transport and the request target', () => {
  // As the Fetch standard and Node 24's fetch have it; Node 22's bundled fetch drops the '?'.
  it('sends the target as the URL has it, a trailing ? included, the fragment never', async () => {
    const fetch = createClient({ transport: undici }).toFetch()
    expect(await (await fetch(`${origin.url}/target?`)).text()).toBe('/target?')
    expect(await (await fetch(`${origin.url}/target?a=1#frag`)).text()).toBe('/target?a=1')
  })
})

describe('toFetch() and Resource Timing across redirects', () => {
  it.each(implementations.slice(1))(
    '%s marks an entry per hop, as it sends each hop itself (fetch marks one for the chain)',
    async (_name, make) => {
      performance.clearResourceTimings()
      const first = `${origin.url}/moved?timing=${crypto.randomUUID()}`
      await (await make()(first)).text()
      // The first hop's entry is named for it: fetch's one entry for the chain would be too, but
      // it would be the only one, and here the second hop has its own.
      await resourceEntries(first, 1)
      await resourceEntries(`${origin.url}/json`, 1)
    },
  )
})

describe('toFetch() and the URLs it refuses on purpose', () => {
  it.each(implementations.slice(1))(
    '%s refuses data: and blob: URLs with a TypeError',
    async (_name, make) => {
      const blob = URL.createObjectURL(new Blob(['in memory']))
      try {
        for (const url of ['data:,hello', blob]) {
          await expect(make()(url)).rejects.toThrow(/only http: and https: URLs/)
        }
      } finally {
        URL.revokeObjectURL(blob)
      }
    },
  )
})

describe('toFetch() and what fetch has no equivalent for', () => {
  it('has no deadline unless the client was given one, as fetch has none', async () => {
    vi.useFakeTimers()
    try {
      const hanging = createClient({ fetch: hangingFetch, retry: false }).toFetch()
      const controller = new AbortController()
      let settled = false
      const pending = hanging(`${origin.url}/never`, { signal: controller.signal }).finally(() => {
        settled = true
      })
      await vi.advanceTimersByTimeAsync(120_000)
      expect(settled).toBe(false)
      controller.abort()
      await expect(pending).rejects.toThrow()

      const bounded = createClient({ fetch: hangingFetch, retry: false, timeout: { total: 1000 } }).toFetch()
      const timedOut = bounded(`${origin.url}/never`).catch((error: unknown) => error)
      await vi.advanceTimersByTimeAsync(1000)
      expect(await timedOut).toMatchObject({ name: 'TimeoutError' })
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('toFetch() is fetch, with the policies the client was given and no others', () => {
  const retried = { limit: 2, backoff: { initial: 1, max: 1 }, budget: false } as const

  it('retries nothing unless the client (or the one it extends) was given retry', async () => {
    counted.clear()
    expect((await createClient().toFetch()(`${origin.url}/always-503`)).status).toBe(503)
    expect(counted.get('/always-503')).toBe(1)
    const parent = createClient({ retry: retried })
    expect((await parent.toFetch()(`${origin.url}/always-503`)).status).toBe(503)
    expect(counted.get('/always-503')).toBe(4)
    expect(
      (await parent.extend({ headers: { 'x-sdk': 'yes' } }).toFetch()(`${origin.url}/always-503`)).status,
    ).toBe(503)
    expect(counted.get('/always-503')).toBe(7)
  })

  it('caches nothing unless the client was given cache; a Request or init may ask for its own mode', async () => {
    counted.clear()
    const plain = createClient().toFetch()
    await (await plain(`${origin.url}/fresh-for-a-minute`)).text()
    expect(await (await plain(`${origin.url}/fresh-for-a-minute`)).text()).toBe('2')
    const cached = createClient({ cache: {} }).toFetch()
    expect(await (await cached(`${origin.url}/fresh-for-a-minute`)).text()).toBe('3')
    expect(await (await cached(`${origin.url}/fresh-for-a-minute`)).text()).toBe('3')
    // A Request's own mode, as ky passes one: 'no-store' goes to the origin.
    const noStore = new Request(`${origin.url}/fresh-for-a-minute`, { cache: 'no-store' })
    expect(await (await cached(noStore)).text()).toBe('4')
    // And 'force-cache' takes what is stored, fresh or not, even where the client has no cache mode.
    expect(await (await plain(`${origin.url}/fresh-for-a-minute`, { cache: 'force-cache' })).text()).toBe('5')
    expect(await (await plain(`${origin.url}/fresh-for-a-minute`, { cache: 'force-cache' })).text()).toBe('5')
    expect(counted.get('/fresh-for-a-minute')).toBe(5)
  })

  it('delivers a body past the default maxBodySize, as fetch does, unless the client set one', async () => {
    for (const transport of [fetchTransport(), undici]) {
      const response = await createClient({ transport }).toFetch()(`${origin.url}/big`)
      let received = 0
      for await (const chunk of response.body as ReadableStream<Uint8Array>) received += chunk.byteLength
      expect(received).toBe(BIG)
    }
    const capped = createClient({ maxBodySize: 1024 * 1024 }).toFetch()
    await expect(capped(`${origin.url}/big`)).rejects.toThrow(TypeError)
  })
})

describe('toFetch() puts the policies underneath', () => {
  it('retries a 503 that raw fetch would return', async () => {
    flaky = 0
    const fetch = createClient({ retry: { backoff: { initial: 1, max: 1 }, budget: false } }).toFetch()
    const response = await fetch(`${origin.url}/flaky`)
    expect([response.status, await response.json()]).toEqual([200, { flaky: 'recovered' }])
  })

  it("answers every status as a Response, as fetch does, whatever the client's throwOn", async () => {
    const client = createClient({ retry: false, throwOn: ['client-error', 'server-error'] })
    await expect(client.get(`${origin.url}/broken`)).rejects.toMatchObject({ kind: 'server-error' })
    const fetch = client.extend({ headers: { 'x-sdk': 'yes' } }).toFetch()
    expect((await fetch(`${origin.url}/broken`)).status).toBe(500)
    expect((await fetch(`${origin.url}/missing`)).status).toBe(404)
  })

  it('gives an SDK the cache it was given, without other changes (Octokit)', async () => {
    flaky = 0
    repoRequests = []
    const fetch = createClient({ cache: {} }).toFetch()
    const get = () =>
      octokitRequest('GET /repos/{owner}/{repo}', {
        owner: 'ada',
        repo: 'engine',
        baseUrl: origin.url,
        request: { fetch },
      })
    const first = await get()
    const second = await get()
    expect(first.data).toMatchObject({ full_name: 'ada/engine', stargazers_count: 42 })
    expect(second.status).toBe(200)
    expect(second.data).toEqual(first.data)
    // The second call was revalidated: the origin sent the body once, then a 304.
    expect(repoRequests).toEqual([{ inm: undefined }, { inm: '"r1"' }])
  })
})

describe('fromResponse', () => {
  it('classifies a Response obtained elsewhere', async () => {
    expect(await fromResponse(Response.json({ a: 1 }))).toMatchObject({
      kind: 'success',
      status: 200,
      data: { a: 1 },
    })
    expect(await fromResponse(new Response('gone', { status: 410 }))).toMatchObject({
      kind: 'client-error',
      status: 410,
      statusText: 'Gone',
      data: 'gone',
    })
    const problem = new Response('{"title":"Too fast"}', {
      status: 429,
      headers: { 'content-type': 'application/problem+json', 'retry-after': '30' },
    })
    expect(await fromResponse(problem)).toMatchObject({
      kind: 'client-error',
      problem: { title: 'Too fast' },
      retryAfter: { ms: 30_000 },
    })
  })

  it('keeps a body that fails to decode, and does not follow or retry anything', async () => {
    const broken = new Response('{nope', { headers: { 'content-type': 'application/json' } })
    expect(await fromResponse(broken)).toMatchObject({
      kind: 'invalid-response',
      reason: 'malformed-body',
      text: '{nope',
    })
    const moved = new Response(null, { status: 302, headers: { location: '/x' } })
    expect(await fromResponse(moved)).toMatchObject({ kind: 'redirect', status: 302 })
  })
})
