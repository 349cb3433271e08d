/** The innermost step of the pipeline: one network attempt through the transport, timed and recorded. */
import { type CallTrace, channels, publish } from '../call/diagnostics.ts'
import { BlockedAddressError } from '../guard/address-guard.ts'
import type { AttemptRecord } from '../result/types.ts'
import type { Transport } from '../transport/types.ts'
import type { Next } from './stage.ts'

export function attemptStage(transport: Transport): Next {
  return async (request) => {
    const { url, method, headers, body, options, deadline } = request
    const base = { url, redirects: [], cache: 'bypass' } as const
    // Ended before it was sent (aborted while a stage above was busy): nothing goes on the wire.
    if (deadline.ended) return { ...base, type: 'failure', failure: deadline.ended, attempts: [] }
    if (options.addressGuard?.blocksHost(url.hostname)) {
      // Refused before anything is sent: a user-supplied URL, or a redirect, aimed inside.
      const error = new BlockedAddressError(url.hostname)
      const failure = { kind: 'network-error', code: error.code, message: error.message, error } as const
      return { ...base, type: 'failure', failure, attempts: [] }
    }
    const attempt = deadline.startAttempt(options.timeout.attempt)
    const resendCount = nextResendCount(request.trace)
    let sent = headers
    publish(channels.attemptStart, () => {
      // A copy for the subscribers to add to (traceparent), sent in place of the hop's own.
      sent = new Headers(headers)
      return { call: request.trace, url, method, headers: sent, resendCount }
    })
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
      const response = await transport({
        url,
        method,
        headers: sent,
        body,
        signal: attempt.signal,
        addressGuard: options.addressGuard,
      })
      publish(channels.attemptEnd, () => ({
        call: request.trace,
        url,
        method,
        resendCount,
        status: response.status,
        error: null,
        duration: performance.now() - started,
      }))
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
      publish(channels.attemptEnd, () => ({
        call: request.trace,
        url,
        method,
        resendCount,
        status: null,
        error: code,
        duration: performance.now() - started,
      }))
      return { ...base, type: 'failure', failure, attempts: [record(null, code)] }
    }
  }
}

/** Attempts so far per call, for OpenTelemetry's `http.request.resend_count`. */
const attemptsSent = new WeakMap<CallTrace, number>()

function nextResendCount(trace: CallTrace): number {
  const count = attemptsSent.get(trace) ?? 0
  attemptsSent.set(trace, count + 1)
  return count
}
