/** How long the server asked the client to wait: Retry-After first, then the rate-limit fields. */
import { rateLimitReset } from './rate-limit.ts'
import { parseRetryAfter, type RetryAfter } from './retry-after.ts'

export interface ServerWait {
  readonly wait: RetryAfter
  readonly source: 'retry-after' | 'ratelimit'
}

/**
 * The wait a response asks for. Rate-limit fields count only on 429 and 503, where they explain
 * the refusal; on any other status they describe a quota, not a wait.
 */
export function serverWait(status: number, headers: Headers, now = Date.now()): ServerWait | null {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now)
  if (retryAfter) return { wait: retryAfter, source: 'retry-after' }
  if (status !== 429 && status !== 503) return null
  const reset = rateLimitReset(headers, now)
  return reset === null ? null : { wait: { ms: reset, at: new Date(now + reset) }, source: 'ratelimit' }
}
