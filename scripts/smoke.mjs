// Smoke checks of the built ESM package on any runtime with fetch and node:http (Node, Bun, Deno):
// every seed status a server can send, a retried 503, a followed redirect, a 304 from the cache.
// Run after `npm run build`: node|bun scripts/smoke.mjs, deno run -A scripts/smoke.mjs.
import { createServer } from 'node:http'
import { createClient } from '../dist/index.js'

const runtime = globalThis.Bun
  ? `Bun ${globalThis.Bun.version}`
  : globalThis.Deno
    ? `Deno ${globalThis.Deno.version.deno}`
    : `Node ${process.versions.node}`
let flaky = 0
const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://x').pathname
  const status = Number(path.split('/')[2])
  if (path === '/flaky') {
    flaky += 1
    return flaky === 1
      ? response.writeHead(503, { 'retry-after': '0' }).end()
      : response.writeHead(200).end('ok')
  }
  if (path === '/hop') return response.writeHead(302, { location: '/status/200' }).end()
  if (path === '/etag') {
    if (request.headers['if-none-match'] === '"s1"') return response.writeHead(304, { etag: '"s1"' }).end()
    return response
      .writeHead(200, { etag: '"s1"', 'cache-control': 'no-cache', 'content-type': 'application/json' })
      .end('{"v":1}')
  }
  const headers = { 'content-type': 'application/json' }
  if (status === 201 || status === 301 || status === 302) headers.location = '/elsewhere'
  response
    .writeHead(status, headers)
    .end(status === 204 || status === 304 ? undefined : `{"status":${status}}`)
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${server.address().port}`
const client = createClient({ baseUrl: base, retry: { backoff: { initial: 1, max: 1 }, budget: false } })
const plain = createClient({ baseUrl: base, retry: false, redirect: { follow: 'never' } })

const expected = {
  200: 'success',
  201: 'success',
  202: 'success',
  204: 'success',
  301: 'redirect',
  302: 'redirect',
  304: 'not-modified',
  400: 'client-error',
  401: 'client-error',
  403: 'client-error',
  404: 'client-error',
  405: 'client-error',
  409: 'client-error',
  422: 'client-error',
  429: 'client-error',
  500: 'server-error',
  501: 'server-error',
  502: 'server-error',
  503: 'server-error',
  504: 'server-error',
}
const failures = []
let passed = 0
const check = (name, ok) => (ok ? passed++ : failures.push(name))

for (const [status, kind] of Object.entries(expected)) {
  const result = await plain.get(`/status/${status}`)
  check(`status ${status} is ${kind}`, result.kind === kind && result.status === Number(status))
}
const retried = await client.get('/flaky')
check('a 503 is retried to success', retried.kind === 'success' && retried.meta.attempts.length === 2)
const followed = await client.get('/hop')
check('a redirect is followed', followed.kind === 'success' && followed.meta.redirects.length === 1)
await client.get('/etag')
const revalidated = await client.get('/etag')
check(
  'a 304 is answered from the cache',
  revalidated.kind === 'success' && revalidated.meta.cache === 'revalidated' && revalidated.data.v === 1,
)

server.close()
for (const failure of failures) console.log(`FAILED: ${failure}`)
console.log(`smoke (${runtime}): ${passed} passed, ${failures.length} failed`)
if (failures.length > 0) process.exit(1)
