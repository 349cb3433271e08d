/** The innermost step of the pipeline: one network attempt through the transport, timed and recorded. */

import { BlockedAddressError } from '../guard/address-guard.ts'
import type { HttpProtocol } from '../result/types.ts'
import type { Transport } from '../transport/types.ts'
import { TransportUnavailableError } from '../transport/unavailable.ts'
import { channels, publish } from './diagnostics.ts'
import { HookFailure } from './hooks.ts'
import type { CallOptions } from './options.ts'
import { type SentBody, sentBody } from './sent-body.ts'
import { failureOutcome, type HopRequest, type Next, responseOutcome } from './stage.ts'

export function attemptStage(transport: Transport): Next<HopRequest<CallOptions>> {
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
    const resendCount = request.record.attemptSent()
    let made: SentBody
    try {
      // Most bodies are sent as they are: no promise to wait on for them.
      made =
        typeof body === 'function' || (body !== null && options.onUploadProgress)
          ? await sentBody(body, headers, options.onUploadProgress)
          : { body, headers }
    } catch (error) {
      attempt.release()
      throw error
    }
    let sent = made.headers
    publish(channels.attemptStart, () => {
      // A copy for the subscribers to add to (traceparent), sent in place of the hop's own.
      sent = new Headers(sent)
      return { call: request.trace, url, method, headers: sent, resendCount }
    })
    const interim = interimListener(request)
    const started = performance.now()
    const ended = (status: number | null, error: string | null, protocol: HttpProtocol | null = null) =>
      request.record.attempted({
        url: url.href,
        status,
        error,
        duration: performance.now() - started,
        protocol,
      })
    try {
      const response = await transport({
        url,
        method,
        headers: sent,
        body: made.body,
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
        protocol: response.protocol ?? null,
      }))
      ended(response.status, null, response.protocol ?? null)
      return responseOutcome({
        url,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: response.body,
        attempt,
      })
    } catch (error) {
      attempt.release()
      // An afterInterim hook or a progress listener threw: the exchange was abandoned for it, and
      // the call ends as it.
      if (interim?.failure) throw interim.failure
      const thrown = hookFailureIn(error)
      if (thrown) throw thrown
      // A transport that cannot run here is a deployment problem, not an outage: the call rejects.
      if (error instanceof TransportUnavailableError) throw error
      // A body made for this attempt and never taken is let go (a file stream closes its file).
      if (made.body instanceof ReadableStream && !made.body.locked) made.body.cancel().catch(() => {})
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
        protocol: null,
      }))
      ended(null, code)
      return failureOutcome(url, failure)
    }
  }
}

/** A progress listener's failure, as the transport rejects with it: itself, or the cause of fetch's TypeError. */
function hookFailureIn(error: unknown): HookFailure | undefined {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth++) {
    if (cause instanceof HookFailure) return cause
  }
  return undefined
}

/**
 * What tells the caller's `afterInterim` hooks of each interim response, and keeps what one
 * threw; `null` without any hook, so that the transport sets up nothing to listen.
 */
function interimListener(request: HopRequest<CallOptions>): {
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
