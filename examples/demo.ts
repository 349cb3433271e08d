/**
 * `npm run demo`: starts a local origin on 127.0.0.1 and shows what fetchkind returns for every
 * seed status and every kind of failure, one line each. Nothing leaves this machine.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createClient, type Result, withDeadline } from '../src/index.ts'
import type { FetchFunction } from '../src/transport.ts'

const SEED_STATUSES = [
  100, 101, 200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404, 405, 409, 422, 429, 500, 501, 502, 503,
  504,
]

/** How many times each path was asked for: the flaky and rate-limited routes fail at first. */
const asked = new Map<string, number>()

const origin = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://demo').pathname
  const times = (asked.get(path) ?? 0) + 1
  asked.set(path, times)
  if (path === '/flaky' && times <= 2) return response.writeHead(503).end('try again')
  if (path === '/limited' && times === 1) return response.writeHead(429, { 'retry-after': '1' }).end()
  if (path === '/busy-for-an-hour') return response.writeHead(429, { 'retry-after': '3600' }).end()
  if (path === '/flaky' || path === '/limited') {
    return response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(`{"answered":"on try ${times}"}`)
  }
  const status = Number(path.split('/')[2])
  if (path === '/never') return // no answer: the attempt deadline ends it
  // The first request waits 2 s, as on a server in a garbage collection; later ones answer at once.
  if (path === '/slow-once') {
    const answer = () =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(`{"copy":${times}}`)
    if (times === 1) setTimeout(answer, 2_000).unref()
    else answer()
    return
  }
  if (path === '/truncated') {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '64' }).write('{"cut":')
    setTimeout(() => response.socket?.destroy(), 10)
    return
  }
  if (path.startsWith('/hop/')) {
    const left = Number(path.split('/')[2])
    const location = left > 0 ? `/hop/${left - 1}` : '/status/200'
    response.writeHead(302, { location }).end()
    return
  }
  if (path === '/to-http') {
    response.writeHead(301, { location: `${baseUrl}/status/200` }).end()
    return
  }
  if (path.startsWith('/loop/')) {
    response.writeHead(307, { location: path.endsWith('a') ? '/loop/b' : '/loop/a' }).end()
    return
  }
  if (path === '/etag' || path === '/fresh') {
    const headers = { etag: '"v7"', 'cache-control': path === '/fresh' ? 'max-age=60' : 'no-cache' }
    if (request.headers['if-none-match'] === '"v7"') return response.writeHead(304, headers).end()
    response
      .writeHead(200, { ...headers, 'content-type': 'application/json' })
      .end(`{"version":7,"try":${times}}`)
    return
  }
  if (path === '/not-json') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>')
    return
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (status === 201) headers.location = '/items/42'
  if (status === 301 || status === 302) headers.location = '/elsewhere'
  if (status === 429 || status === 503) headers['retry-after'] = '30'
  if (status === 422) headers['content-type'] = 'application/problem+json'
  const body = status === 422 ? '{"title":"Invalid name","detail":"name is empty"}' : `{"status":${status}}`
  if (status === 304) headers.etag = '"v1"'
  response.writeHead(status, headers).end(status === 204 || status === 304 ? undefined : body)
})

await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
const baseUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`
const client = createClient({ baseUrl, timeout: { attempt: 300, total: 3000 } })
// The seed statuses are shown as classified; the redirect and retry policies have their own sections.
const unfollowing = createClient({ baseUrl, redirect: { follow: 'never' }, retry: false })

/** An https: origin for the downgrade check, served by the local origin (there is no certificate here). */
const secureFetch: FetchFunction = (url, init) => fetch(new URL(url.pathname, baseUrl), init)

/** fetch never surfaces a 1xx as a final response; a transport that does (undici's) is simulated. */
const interimFetch: FetchFunction = async (url) =>
  ({
    status: Number(url.pathname.split('/')[2]),
    statusText: '',
    headers: new Headers(),
    body: null,
  }) as Response

const colour = process.stdout.isTTY
  ? (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`
  : () => (text: string) => text
const COLOURS: Record<Result['kind'], (text: string) => string> = {
  success: colour(32),
  redirect: colour(36),
  'not-modified': colour(36),
  informational: colour(34),
  'client-error': colour(33),
  'server-error': colour(31),
  'network-error': colour(35),
  timeout: colour(35),
  aborted: colour(35),
  'invalid-response': colour(31),
  refused: colour(35),
  'hook-error': colour(31),
}

function detail(result: Result): string {
  switch (result.kind) {
    case 'success':
      return result.location
        ? `location ${result.location.pathname}`
        : `data ${JSON.stringify(result.data) ?? '—'}`
    case 'redirect': {
      const sameOrigin = result.location?.origin === new URL(result.meta.request.url).origin
      return `not followed: ${result.reason}, location ${sameOrigin ? result.location?.pathname : result.location?.href}`
    }
    case 'client-error':
    case 'server-error':
      if (result.problem) return `problem "${result.problem.title}"`
      return result.retryAfter
        ? `retryAfter ${result.retryAfter.ms / 1000} s`
        : `data ${JSON.stringify(result.data)}`
    case 'network-error':
      return `${result.code}: ${result.message}`
    case 'timeout':
      if (result.inherited) return `the deadline scope's deadline passed (${result.limit} ms were left)`
      return `the ${result.phase} deadline of ${result.limit} ms passed`
    case 'aborted':
      return `reason: ${String(result.reason)}`
    case 'invalid-response':
      return `${result.reason}${result.text ? `, text kept: ${result.text}` : ''}`
    case 'not-modified':
      return `no body, etag ${result.headers.get('etag') ?? 'none'}`
    case 'informational':
      return 'no body (simulated transport: fetch never surfaces a 1xx)'
    case 'hook-error':
      return `the ${result.hook} hook threw: ${(result.error as Error).message}`
    case 'refused':
      return `nothing sent: ${result.reason}${result.retryAfter ? `, retryAfter ${result.retryAfter.ms / 1000} s` : ''}`
  }
}

function show(label: string, result: Result): void {
  const status = 'status' in result && result.status !== null ? String(result.status) : '—'
  const name = 'statusText' in result ? result.statusText : ''
  const { attempts, redirects, retryStop } = result.meta
  const story = [`${attempts.length} attempt${attempts.length === 1 ? '' : 's'}`]
  const waits = attempts.filter((attempt) => attempt.delayReason !== null)
  if (waits.length > 0) {
    story.push(
      `waited ${waits.map((attempt) => `${Math.round(attempt.delay)} ms (${attempt.delayReason})`).join(', ')}`,
    )
  }
  if (retryStop) story.push(`not retried: ${retryStop}`)
  if (result.meta.concurrency) story.push(`concurrency limit ${result.meta.concurrency.limit}`)
  const cancelled = attempts.filter((attempt) => attempt.error === 'aborted').length
  if (cancelled > 0 && result.kind === 'success')
    story.push(`${cancelled} copy cancelled for the first answer`)
  if (result.meta.cache !== 'miss' && result.meta.cache !== 'bypass')
    story.push(`cache: ${result.meta.cache}`)
  if (redirects.length > 0) {
    story.push(`${redirects.length} redirect${redirects.length === 1 ? '' : 's'} followed`)
  }
  console.log(
    `${COLOURS[result.kind](result.kind.padEnd(16))} ${status.padEnd(4)} ${name.padEnd(22)} ${label.padEnd(26)} ${story.join(', ')}; ${detail(result)}`,
  )
}

console.log(`fetchkind demo against a local origin at ${baseUrl}\n`)
console.log('Every seed status:')
for (const status of SEED_STATUSES) {
  const path = `/status/${status}`
  const result =
    status < 200
      ? await createClient({ baseUrl, fetch: interimFetch }).get(path)
      : await unfollowing.get(path)
  show(`GET ${path}`, result)
}

console.log('\nThe redirect policy (every hop in meta.redirects; a refused hop is a result, never a throw):')
show('GET /hop/3', await client.get('/hop/3'))
show('GET https:…/to-http', await createClient({ fetch: secureFetch }).get('https://secure.demo/to-http'))
show('GET /loop/a', await client.get('/loop/a'))
show('GET /hop/12', await client.get('/hop/12'))
show('GET /hop/3 (max 2)', await client.get('/hop/3', { redirect: { max: 2 } }))

console.log('\nThe retry policy (each attempt in meta.attempts, with the wait that followed and why):')
show('GET /flaky', await client.get('/flaky'))
show('GET /limited', await client.get('/limited'))
show('GET /busy-for-an-hour', await client.get('/busy-for-an-hour'))

console.log('\nEvery way a call can fail without a usable response:')
const noRetries = createClient({ baseUrl, timeout: { attempt: 300 }, retry: false })
const { port: closed } = await new Promise<AddressInfo>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const address = probe.address() as AddressInfo
    probe.close(() => resolve(address))
  })
})
show(`GET :${closed}/ (closed port)`, await noRetries.get(`http://127.0.0.1:${closed}/`))
show('GET /never', await noRetries.get('/never'))
show('GET /never (in a 150 ms scope)', await withDeadline(150, () => client.get('/never')))
show('GET /truncated', await client.get('/truncated'))
show('GET /not-json', await client.get('/not-json'))
show('GET /status/200', await client.get('/status/200', { signal: AbortSignal.abort('caller gave up') }))

console.log(
  '\nThe resilience policies (a call held back is refused before anything is sent; a slow one hedged):',
)
const guarded = createClient({
  baseUrl,
  retry: false,
  circuitBreaker: { minimumThroughput: 3, failureRatio: 0.5 },
})
for (let i = 0; i < 3; i++) await guarded.get('/status/502')
show('GET /status/200 (breaker)', await guarded.get('/status/200'))
const limited = createClient({ baseUrl, retry: false, rateLimit: { limit: 1, interval: 60_000, maxWait: 0 } })
await limited.get('/status/200')
show('GET /status/200 (rate limit)', await limited.get('/status/200'))

// A new key probes at half its initial limit: one call in flight here, and no queue.
const adaptive = createClient({
  baseUrl,
  retry: false,
  adaptiveConcurrency: { initialConcurrent: 2, maxQueued: 0 },
})
const stop = new AbortController()
const holding = adaptive.get('/never', { signal: stop.signal })
show('GET /status/200 (adaptive)', await adaptive.get('/status/200'))
stop.abort('demo done')
await holding

const hedged = createClient({ baseUrl, retry: false, hedge: { delay: 100 } })
show('GET /slow-once (hedged)', await hedged.get('/slow-once'))

console.log('\nThe HTTP cache (meta.cache says what it did):')
show('GET /etag', await client.get('/etag'))
show('GET /etag (again)', await client.get('/etag'))
show('GET /fresh', await client.get('/fresh'))
show('GET /fresh (again)', await client.get('/fresh'))
origin.closeAllConnections()
origin.close()
