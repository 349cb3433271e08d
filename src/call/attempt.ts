/** The innermost step of the pipeline: one network attempt through the transport, timed and recorded. */

import { BlockedAddressError } from '../guard/address-guard.ts'
import { formatTimeLeft } from '../http/deadline-header.ts'
import type { BodyInit } from '../http/fetch-types.ts'
import { AttemptRequest, listensToAttempts, withSignal } from '../transport/abort-source.ts'
import type { Transport } from '../transport/types.ts'
import { TransportUnavailableError } from '../transport/unavailable.ts'
import type { AttemptDeadline } from './deadline.ts'
import { channels, publish } from './diagnostics.ts'
import { HookFailure } from './hooks.ts'
import type { CallOptions } from './options.ts'
import { type SentBody, sentBody } from './sent-body.ts'
import { failureOutcome, type HopRequest, type Next, type Outcome } from './stage.ts'

export function attemptStage(transport: Transport): Next<HopRequest<CallOptions>> {
  return (request) => {
    const { url, body, options, deadline } = request
    // Ended before it was sent (aborted while a stage above was busy): nothing goes on the wire.
    if (deadline.ended) return Promise.resolve(failureOutcome(url, deadline.ended))
    if (options.addressGuard?.blocksHost(url.hostname)) {
      // Refused before anything is sent: a user-supplied URL, or a redirect, aimed inside.
      const error = new BlockedAddressError(url.hostname)
      return Promise.resolve(
        failureOutcome(url, { kind: 'network-error', code: error.code, message: error.message, error }),
      )
    }
    const attempt = deadline.startAttempt(options.timeout.attempt)
    // Most bodies are sent as they are: no promise to wait on for them.
    if (typeof body === 'function' || (body !== null && options.onUploadProgress)) {
      return madeAndSent(transport, request, attempt)
    }
    return sent(transport, request, attempt, body, request.headers)
  }
}

/**
 * The attempt's headers with the time it has left in `name`, sent downstream so that the next
 * service stops when this call would stop waiting for it; as they are when nothing bounds it.
 */
function withTimeLeft(headers: Headers, name: string, timeLeft: number | null): Headers {
  if (timeLeft === null) return headers
  const copy = new Headers(headers)
  copy.set(name, formatTimeLeft(name, timeLeft))
  return copy
}

/** Sends a body made for this attempt (a function's, or one counted as it goes). */
async function madeAndSent(
  transport: Transport,
  request: HopRequest<CallOptions>,
  attempt: AttemptDeadline,
): Promise<Outcome> {
  let made: SentBody
  try {
    made = await sentBody(request.body, request.headers, request.options.onUploadProgress)
  } catch (error) {
    attempt.release()
    throw error
  }
  return sent(transport, request, attempt, made.body, made.headers)
}

/**
 * One exchange through the transport, recorded as it ends. Kept small, with no closures on its
 * way: it runs for every attempt, and what it holds across its wait is allocated each time.
 */
async function sent(
  transport: Transport,
  request: HopRequest<CallOptions>,
  attempt: AttemptDeadline,
  body: BodyInit | null,
  headers: Headers,
): Promise<Outcome> {
  const { url, method, options } = request
  const resendCount = request.record.attemptSent()
  const propagated = request.deadline.propagatedAs
  if (propagated !== null) headers = withTimeLeft(headers, propagated, request.deadline.timeLeftFor(attempt))
  if (channels.attemptStart.hasSubscribers) {
    // A copy for the subscribers to add to (traceparent), sent in place of the hop's own.
    headers = new Headers(headers)
    channels.attemptStart.publish({ call: request.trace, url, method, headers, resendCount })
  }
  const interim = options.hooks.afterInterim.length > 0 ? interimListener(request) : null
  const started = performance.now()
  try {
    // fetchkind's own transports listen to the attempt itself: no signal is made for them.
    const made = new AttemptRequest(url, method, headers, body, options, interim?.listener, attempt)
    const exchange = listensToAttempts(transport) ? made : withSignal(made)
    const response = await transport(exchange)
    const { status } = response
    const protocol = response.protocol ?? null
    const duration = performance.now() - started
    if (channels.attemptEnd.hasSubscribers) {
      channels.attemptEnd.publish({
        call: request.trace,
        url,
        method,
        resendCount,
        status,
        error: null,
        duration,
        protocol,
      })
    }
    request.record.attempted(url.href, status, null, duration, protocol)
    return {
      type: 'response',
      cache: 'bypass',
      url,
      status,
      statusText: response.statusText,
      headers: response.headers,
      body: response.body,
      attempt,
    }
  } catch (error) {
    return failed(request, attempt, error, body, interim, performance.now() - started, resendCount)
  }
}

/** What the transport rejected with, as the attempt's outcome — or thrown on, when the call must end with it. */
function failed(
  request: HopRequest<CallOptions>,
  attempt: AttemptDeadline,
  error: unknown,
  body: BodyInit | null,
  interim: { readonly failure: HookFailure | null } | null,
  duration: number,
  resendCount: number,
): Outcome {
  const { url, method } = request
  attempt.release()
  // An afterInterim hook or a progress listener threw: the exchange was abandoned for it, and
  // the call ends as it.
  if (interim?.failure) throw interim.failure
  const thrown = hookFailureIn(error)
  if (thrown) throw thrown
  // A transport that cannot run here is a deployment problem, not an outage: the call rejects.
  if (error instanceof TransportUnavailableError) throw error
  // A body made for this attempt and never taken is let go (a file stream closes its file).
  if (body instanceof ReadableStream && !body.locked) body.cancel().catch(() => {})
  const failure = request.deadline.explain(error, attempt)
  const code = failure.kind === 'network-error' ? failure.code : failure.kind
  publish(channels.attemptEnd, () => ({
    call: request.trace,
    url,
    method,
    resendCount,
    status: null,
    error: code,
    duration,
    protocol: null,
  }))
  request.record.attempted(url.href, null, code, duration, null)
  return failureOutcome(url, failure)
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
