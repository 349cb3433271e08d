/**
 * What trips a ky, got, ofetch or axios user coming to fetchkind, shown against a local upstream:
 * each line prints what fetchkind does where the other client did something else.
 */
import { createClient, HttpError } from 'fetchkind'
import { localOrigin } from '../local-origin.ts'

const origin = await localOrigin((request, response) => {
  response
    .writeHead(request.url === '/v1/missing' ? 404 : 200, { 'content-type': 'text/plain' })
    .end(request.url)
})

// 1. A leading slash under baseUrl. ky 1's and got's prefixUrl (ky 2's `prefix`) join text, so
// '/users' went under /v1/; fetchkind's baseUrl resolves as a URL (as ky 2's `baseUrl` does), so
// '/users' is the origin's root. Drop the slash.
const api = createClient({ baseUrl: `${origin.url}/v1/`, retry: false })
const rooted = await api.get('/users')
const relative = await api.get('users')
console.log(
  'leading slash:',
  rooted.kind === 'success' && rooted.data,
  '| without:',
  relative.kind === 'success' && relative.data,
)

// 2. The shorthands: retry: 3 is the limit (the backoff and statuses kept); timeout: 5000 is each
// attempt's deadline, as in ky 2 (the 30 s total kept: `timeout: { total }` for the whole call).
const shorthands = createClient({ baseUrl: origin.url, retry: 3, timeout: 5_000 })
const result = await shorthands.get('/v1/ok')
console.log('shorthands:', result.kind)

// 3. Nothing throws for a status: throwHttpErrors: false (ky, got), ignoreResponseError (ofetch)
// and validateStatus: () => true (axios) are the default. A 404 is a value...
const missing = await api.get('missing')
console.log('404 without throwOn:', missing.kind, missing.ok)
// ...and `throwOn` lists the kinds that should reject, for a call whose result nobody reads.
try {
  await api.get('missing', { throwOn: ['client-error', 'server-error'] })
} catch (error) {
  console.log('404 with throwOn:', error instanceof HttpError && error.result.kind)
}

origin.close()
