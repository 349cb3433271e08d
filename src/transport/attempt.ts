/** The innermost step of the pipeline: one network attempt through the transport, timed and recorded. */
import type { Next } from '../pipeline.ts'
import type { AttemptRecord } from '../result/types.ts'
import type { Transport } from './types.ts'

export function sendAttempt(transport: Transport): Next {
  return async (request) => {
    const { url, method, headers, body, options, deadline } = request
    const base = { url, redirects: [], cache: 'bypass' } as const
    // Ended before it was sent (aborted while a stage above was busy): nothing goes on the wire.
    if (deadline.ended) return { ...base, type: 'failure', failure: deadline.ended, attempts: [] }
    const attempt = deadline.startAttempt(options.timeout.attempt)
    const started = performance.now()
    const record = (status: number | null, error: string | null): AttemptRecord => ({
      url: url.href,
      status,
      error,
      duration: performance.now() - started,
      delay: 0,
      delayReason: null,
    })
    try {
      const response = await transport({ url, method, headers, body, signal: attempt.signal })
      return {
        ...base,
        type: 'response',
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: response.body,
        attempt,
        attempts: [record(response.status, null)],
      }
    } catch (error) {
      attempt.release()
      const failure = deadline.explain(error, attempt)
      const code = failure.kind === 'network-error' ? failure.code : failure.kind
      return { ...base, type: 'failure', failure, attempts: [record(null, code)] }
    }
  }
}
