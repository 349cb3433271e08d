/**
 * The spans, from fetchkind's diagnostics channels: one per call (INTERNAL, or CLIENT when it is
 * the only HTTP span), one CLIENT span per network attempt beneath it, and the `traceparent` of
 * the innermost of them injected into each attempt's headers.
 */
import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions'
import type {
  AttemptEndEvent,
  AttemptStartEvent,
  CacheEvent,
  CallEndEvent,
  CallStartEvent,
  CallTrace,
  HedgeEvent,
  RedirectEvent,
  RetryEvent,
} from '../call/diagnostics.ts'
import {
  attemptErrorType,
  callErrorType,
  protocolAttributes,
  redactedUrl,
  requestAttributes,
  spanName,
} from './attributes.ts'
import type { Instrumentation } from './options.ts'

interface CallState {
  /** The call's span; `null` when there is none (its attempts' parent is then the caller's context). */
  readonly span: Span | null
  readonly context: Context
  readonly attempts: Map<number, Span>
}

/** What the span listeners need to look up a call's state from outside (the call scope). */
export interface CallSpans {
  contextOf(call: CallTrace): Context | undefined
  readonly listeners: readonly (readonly [string, (message: never) => void])[]
}

export function callSpans(
  tracer: Tracer,
  settings: Instrumentation,
  propagator: TextMapPropagator | undefined,
): CallSpans {
  const calls = new WeakMap<CallTrace, CallState>()
  const { sensitive } = settings
  const carrier = { set: (headers: Headers, key: string, value: string) => headers.set(key, value) }
  const inject = (into: Context, headers: Headers) => {
    if (propagator) propagator.inject(into, headers, carrier)
    else propagation.inject(into, headers, carrier)
  }

  const onCallStart = ({ call }: CallStartEvent) => {
    const parent = context.active()
    const kind = settings.callSpan === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL
    const name = settings.callSpan === 'client' ? spanName(call.method) : `fetchkind ${spanName(call.method)}`
    const span = settings.callSpan
      ? tracer.startSpan(
          name,
          { kind, attributes: requestAttributes(call.method, call.url, sensitive) },
          parent,
        )
      : null
    calls.set(call, { span, context: span ? trace.setSpan(parent, span) : parent, attempts: new Map() })
  }

  const onAttemptStart = ({ call, url, method, headers, resendCount }: AttemptStartEvent) => {
    const state = calls.get(call)
    if (!state) return
    if (settings.propagateFrom === 'call') inject(state.context, headers)
    if (!settings.attemptSpans) return
    const attributes = requestAttributes(method, url, sensitive)
    if (resendCount > 0) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = resendCount
    const span = tracer.startSpan(spanName(method), { kind: SpanKind.CLIENT, attributes }, state.context)
    state.attempts.set(resendCount, span)
    inject(trace.setSpan(state.context, span), headers)
  }

  const onAttemptEnd = (event: AttemptEndEvent) => {
    const span = calls.get(event.call)?.attempts.get(event.resendCount)
    if (!span) return
    if (event.status !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, event.status)
    span.setAttributes(protocolAttributes(event.protocol))
    const errorType = attemptErrorType(event.status, event.error)
    if (errorType) {
      span.setAttribute(ATTR_ERROR_TYPE, errorType)
      span.setStatus({ code: SpanStatusCode.ERROR })
    }
    span.end()
  }

  const onRedirect = ({ call, from, to, status }: RedirectEvent) => {
    calls.get(call)?.span?.addEvent('fetchkind.redirect', {
      [ATTR_URL_FULL]: redactedUrl(to, sensitive),
      'fetchkind.redirect.from': redactedUrl(from, sensitive),
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
    })
  }

  const onRetry = (event: RetryEvent) => {
    const attributes: Attributes = { 'fetchkind.retry.attempt': event.attempt }
    if (event.status !== null) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = event.status
    if (event.error !== null) attributes[ATTR_ERROR_TYPE] = event.error
    if (event.retry) {
      attributes['fetchkind.retry.delay_ms'] = event.delay
      attributes['fetchkind.retry.delay_reason'] = event.delayReason ?? 'backoff'
    } else {
      attributes['fetchkind.retry.stop'] = event.stop ?? ''
    }
    calls
      .get(event.call)
      ?.span?.addEvent(event.retry ? 'fetchkind.retry' : 'fetchkind.retry.stop', attributes)
  }

  const onHedge = ({ call, copy, reason, sent }: HedgeEvent) => {
    calls.get(call)?.span?.addEvent(sent ? 'fetchkind.hedge' : 'fetchkind.hedge.declined', {
      'fetchkind.hedge.copy': copy,
      'fetchkind.hedge.reason': reason,
    })
  }

  const onCache = ({ call, cache }: CacheEvent) => {
    calls.get(call)?.span?.setAttribute('fetchkind.cache', cache)
  }

  const onCallEnd = ({ call, result }: CallEndEvent) => {
    const state = calls.get(call)
    if (!state) return
    calls.delete(call)
    const { span } = state
    if (!span) return
    span.setAttribute('fetchkind.result.kind', result.kind)
    span.setAttribute(ATTR_URL_FULL, redactedUrl(new URL(result.meta.request.url), sensitive))
    if ('status' in result && result.status !== null)
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.status)
    span.setAttributes(protocolAttributes(result.meta.attempts.at(-1)?.protocol ?? null))
    const errorType = callErrorType(result)
    if (errorType) {
      span.setAttribute(ATTR_ERROR_TYPE, errorType)
      span.setStatus({ code: SpanStatusCode.ERROR })
    }
    span.end()
  }

  return {
    contextOf: (call) => calls.get(call)?.context,
    listeners: [
      ['fetchkind:call:start', onCallStart],
      ['fetchkind:attempt:start', onAttemptStart],
      ['fetchkind:attempt:end', onAttemptEnd],
      ['fetchkind:redirect', onRedirect],
      ['fetchkind:retry', onRetry],
      ['fetchkind:hedge', onHedge],
      ['fetchkind:cache', onCache],
      ['fetchkind:call:end', onCallEnd],
    ],
  }
}
