/** Configuring retries: per client, per request, and reading what happened from meta. */
import { createClient } from 'fetchkind'
import { localOrigin } from './local-origin.ts'

let calls = 0
const origin = await localOrigin((_request, response) => {
  calls += 1
  if (calls <= 2) response.writeHead(503, { 'retry-after': '0' }).end()
  else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
})

const api = createClient({
  baseUrl: origin.url,
  retry: { limit: 3, backoff: { initial: 50, max: 500, jitter: 'full' }, maxRetryAfter: 10_000 },
})

const result = await api.get('/flaky', {
  retry: {
    onRetry: ({ attempt, status, delay, delayReason }) =>
      console.log(`attempt ${attempt} got ${status}; waiting ${delay} ms (${delayReason})`),
  },
})
console.log(
  result.kind,
  result.meta.attempts.map((attempt) => attempt.status),
)

// A POST is retried only when it is safe to repeat: the server deduplicates on the key.
const created = await api.post('/flaky', { json: { item: 'book' }, idempotencyKey: true })
console.log(created.kind)
origin.close()
