/**
 * One call from start to result: bound it by its deadlines, send it down the pipeline, read the
 * body once, and assemble `meta`.
 */

import { validate } from '../result/schema.ts'
import { isFollowable } from '../result/status.ts'
import type { Meta, Result } from '../result/types.ts'
import {
  boundedStream,
  cancelResponse,
  DEFAULT_MAX_BODY_SIZE,
  declaredLength,
  decodeBody,
  discardResponse,
  hasNoBody,
} from './body.ts'
import { classifyStatus, invalidResponse, noResponseResult, responseResult } from './classify.ts'
import { abortReason, CallDeadline, type NoResponse } from './deadline.ts'
import {
  type CallScope,
  type CallTrace,
  callScope,
  callTracing,
  callTracingListened,
  channels,
  publish,
} from './diagnostics.ts'
import { checkHookHeaders, HookFailure, runHook } from './hooks.ts'
import type { CallOptions, PreparedCall } from './options.ts'
import { countedDownload } from './progress.ts'
import { CallRecord } from './record.ts'
import type { HopRequest, Next, Outcome, ResponseOutcome } from './stage.ts'

/** The pipeline a call of options `O` is sent down. */
type Pipeline<O> = Next<HopRequest<O>>

/**
 * Runs one call, telling the diagnostics channels, when anyone listens, when it starts and how it
 * ends, and within the call scope, when one is set.
 */
export function runCall<O extends CallOptions>(
  prepared: PreparedCall<O>,
  pipeline: Pipeline<O>,
): Promise<Result> {
  const trace: CallTrace = { method: prepared.method, url: prepared.url }
  const scope = callScope()
  const tracing = callTracingListened()
  if (!scope && !tracing && !channels.callStart.hasSubscribers && !channels.callEnd.hasSubscribers) {
    return execute(prepared, pipeline, trace)
  }
  const run = () => traced(prepared, pipeline, trace, scope)
  return tracing && callTracing ? callTracing.tracePromise(run, { call: trace }) : run()
}

async function traced<O extends CallOptions>(
  prepared: PreparedCall<O>,
  pipeline: Pipeline<O>,
  trace: CallTrace,
  scope: CallScope | null,
): Promise<Result> {
  publish(channels.callStart, () => ({ call: trace }))
  const result = await (scope
    ? scope(trace, () => execute(prepared, pipeline, trace))
    : execute(prepared, pipeline, trace))
  publish(channels.callEnd, () => ({ call: trace, result }))
  return result
}

async function execute<O extends CallOptions>(
  prepared: PreparedCall<O>,
  pipeline: Pipeline<O>,
  trace: CallTrace,
): Promise<Result> {
  const started = performance.now()
  let call = prepared
  const deadline = new CallDeadline(call.signal, call.options.timeout.total)
  const record = new CallRecord()
  let result: Result | undefined
  try {
    // An already-aborted signal sends nothing, as with fetch, which cancels a stream body too.
    if (deadline.ended) return await endedBeforeSent(call, deadline.ended, record, started)
    if (call.options.hooks.beforeRequest.length > 0) {
      const hooked = await beforeRequest(call)
      if ('kind' in hooked) return hooked
      call = hooked
    }
    const outcome = await pipeline({ ...call, deadline, trace, record })
    if (outcome.type === 'failure')
      return noResponseResult(outcome.failure, metaOf(call, record, started, outcome))
    result = await finishResponse(call, outcome, deadline, new CallEnd(call, record, started))
    return result
  } catch (error) {
    if (!(error instanceof HookFailure)) throw error
    return hookErrorResult(error, metaOf(call, record, started, null))
  } finally {
    if (result && 'data' in result && result.data instanceof ReadableStream) deadline.stopClock()
    else deadline.release()
  }
}

/** A call whose signal had already aborted: nothing sent, a stream body cancelled as fetch cancels it. */
async function endedBeforeSent(
  call: PreparedCall,
  ended: NoResponse,
  record: CallRecord,
  started: number,
): Promise<Result> {
  const { body } = call
  if (body instanceof ReadableStream && !body.locked) await body.cancel(abortReason(ended)).catch(() => {})
  return noResponseResult(ended, metaOf(call, record, started, null))
}

/** The caller's beforeRequest hooks, in order: the call with their headers, or the answer one gave. */
async function beforeRequest<C extends PreparedCall>(call: C): Promise<C | Result> {
  const request = {
    url: call.url,
    method: call.method,
    headers: new Headers(call.headers),
    body: call.body,
  }
  for (const hook of call.options.hooks.beforeRequest) {
    const answer = await runHook('beforeRequest', () => hook(request))
    if (answer) return answer
  }
  checkHookHeaders('beforeRequest', request.headers)
  return { ...call, headers: request.headers }
}

/** Read once, as the call ends: what the stages recorded, and where the last hop went. */
function metaOf(call: PreparedCall, record: CallRecord, started: number, outcome: Outcome | null): Meta {
  return {
    request: { method: call.method, url: (outcome?.url ?? call.url).href },
    attempts: record.attempts,
    redirects: record.redirects,
    cache: outcome?.cache ?? 'bypass',
    retryStop: record.retryStop,
    cooldown: record.cooldown,
    storeFallbacks: record.storeFallbacks,
    breaker: record.breaker,
    concurrency: record.concurrency,
    duration: performance.now() - started,
  }
}

/** What the end of a call with a response needs to write its `meta`. */
class CallEnd {
  readonly #call: PreparedCall
  readonly #record: CallRecord
  readonly #started: number

  constructor(call: PreparedCall, record: CallRecord, started: number) {
    this.#call = call
    this.#record = record
    this.#started = started
  }

  meta(outcome: Outcome): Meta {
    return metaOf(this.#call, this.#record, this.#started, outcome)
  }
}

async function finishResponse(
  call: PreparedCall,
  outcome: ResponseOutcome,
  deadline: CallDeadline,
  end: CallEnd,
): Promise<Result> {
  const { attempt } = outcome
  const outOfRange = classifyStatus(outcome.status) === null
  if (outOfRange || hasNoBody(outcome.status, call.method)) {
    await discardResponse(outcome)
    return outOfRange
      ? invalidResponse(outcome, 'status-out-of-range', end.meta(outcome))
      : responseResult(outcome, undefined, end.meta(outcome))
  }
  const { responseType } = call.options
  // The default cap bounds what is read into memory here; a stream the caller reads, only the caller's own.
  const maxBodySize =
    call.options.maxBodySize ?? (responseType === 'stream' ? Number.POSITIVE_INFINITY : DEFAULT_MAX_BODY_SIZE)
  if (isFollowable(outcome.status) && responseType !== 'stream') {
    // A redirect not followed (refused, or the caller's choice) is answered at once: its body is
    // never read, so an endless or inflating one costs nothing. (A 300's body is its list of
    // choices, and is read as any other; a caller who asked for a stream gets the stream, as
    // fetch's redirect: 'manual' gives the 3xx's body.)
    await cancelResponse(outcome)
    return responseResult(outcome, undefined, end.meta(outcome))
  }
  if (declaredLength(outcome.headers) > maxBodySize) {
    // Refused at the headers: nothing is read of a body that says it is too large.
    await cancelResponse(outcome)
    return invalidResponse(outcome, 'body-too-large', end.meta(outcome))
  }
  const body = countedDownload(outcome.body, outcome.headers, call.options.onDownloadProgress)
  if (responseType === 'stream') {
    // The caller reads the stream at its own pace: no deadline of ours cuts it, its signal still does.
    attempt?.stopClock()
    const stream = !body
      ? null
      : maxBodySize === Number.POSITIVE_INFINITY
        ? body.stream()
        : boundedStream(body.stream(), maxBodySize)
    return responseResult(outcome, stream, end.meta(outcome))
  }
  const decoded = await decodeBody(body, responseType, outcome.headers, maxBodySize, call.options.parseJson)
  attempt?.release()
  switch (decoded.type) {
    case 'decoded': {
      const { schema } = call.options
      if (!schema || outcome.status < 200 || outcome.status >= 300) {
        return responseResult(outcome, decoded.data, end.meta(outcome))
      }
      // A success must have the body its schema says; the validator's output becomes `data`.
      const checked = await validate(schema, decoded.data)
      if (checked.ok) return responseResult(outcome, checked.value, end.meta(outcome))
      return invalidResponse(outcome, 'schema-mismatch', end.meta(outcome), {
        error: checked.error,
        text: decoded.text,
        issues: checked.issues,
      })
    }
    case 'too-large':
      return invalidResponse(outcome, 'body-too-large', end.meta(outcome))
    case 'read-failed': {
      // The caller's progress listener threw: the call ends as it.
      if (decoded.error instanceof HookFailure) throw decoded.error
      const failure = deadline.explain(decoded.error, attempt)
      if (failure.kind !== 'network-error') return noResponseResult(failure, end.meta(outcome))
      return invalidResponse(outcome, 'truncated-body', end.meta(outcome), { error: decoded.error })
    }
    case 'malformed':
      // A success must have the body its type says; an error keeps its kind and the raw text.
      if (outcome.status >= 200 && outcome.status < 300) {
        return invalidResponse(outcome, 'malformed-body', end.meta(outcome), {
          error: decoded.error,
          text: decoded.text,
        })
      }
      return responseResult(outcome, decoded.text, end.meta(outcome))
  }
}

export function hookErrorResult(failure: HookFailure, meta: Meta): Result {
  return { kind: 'hook-error', ok: false, hook: failure.hook, error: failure.cause, meta }
}
