/** The innermost step of the pipeline: one network attempt through the transport, timed and recorded. */
import { channels, publish } from '../call/diagnostics.ts'
import { HookFailure } from '../call/hooks.ts'
import { BlockedAddressError } from '../guard/address-guard.ts'
import type { AttemptRecord } from '../result/types.ts'
import type { Transport } from '../transport/types.ts'
import { failureOutcome, type HopRequest, type Next, responseOutcome } from './stage.ts'

export function attemptStage(transport: Transport): Next {
  return async (request) => {
    const { url, method, headers, body, options, deadline } = request
    // Ended before it was sent (aborted while a stage above was busy): nothing goes on the wire.
    if (deadline.ended) return failureOutcome(url, deadline.ended)
    if (options.addressGuard?.blocksHost(url.hostname)) {
      // Refused before anything is sent: a user-supplied URL, or a redirect, aimed inside.
      const error = new BlockedAddressError(url.hostname)
      return failureOutcome(url, { kind: 'network-error', code: error.code, message: error.message, error })
    }
    const attempt = deadline.startAttempt(options.timeout.attempt)
    const resendCount = request.notes.attemptSent()
    let sent = headers
    publish(channels.attemptStart, () => {
      // A copy for the subscribers to add to (traceparent), sent in place of the hop's own.
      sent = new Headers(headers)
      return { call: request.trace, url, method, headers: sent, resendCount }
    })
    const interim = interimListener(request)
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
        dispatcher: options.dispatcher,
        resourceTiming: options.resourceTiming,
        onInterim: interim?.listener,
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
      return responseOutcome({
        url,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: response.body,
        attempt,
        attempts: [record(response.status, null)],
      })
    } catch (error) {
      attempt.release()
      // An afterInterim hook threw: the exchange was abandoned for it, and the call ends as it.
      if (interim?.failure) throw interim.failure
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
      return failureOutcome(url, failure, [record(null, code)])
    }
  }
}

/**
 * What tells the caller's `afterInterim` hooks of each interim response, and keeps what one
 * threw; `null` without any hook, so that the transport sets up nothing to listen.
 */
function interimListener(request: HopRequest): {
  listener: (status: number, headers: Headers) => void
  failure: HookFailure | null
} | null {
  const hooks = request.options.hooks.afterInterim
  if (hooks.length === 0) return null
  const interim = {
    failure: null as HookFailure | null,
    listener(status: number, headers: Headers) {
      for (const hook of hooks) {
        try {
          hook({ url: request.url, status, headers })
        } catch (error) {
          interim.failure = new HookFailure('afterInterim', error)
          throw interim.failure
        }
      }
    },
  }
  return interim
}
