/**
 * `fetchkind/otel`: OpenTelemetry tracing and metrics for every fetchkind client in the process,
 * by listening to fetchkind's diagnostics channels — so that when it is off, tracing costs
 * nothing. One CLIENT span per call, one child span per network attempt, named and attributed as
 * the HTTP client semantic conventions say; `traceparent` (through the configured propagator) on
 * every attempt; the `http.client.request.duration` histogram per attempt.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import {
  type Attributes,
  type Context,
  context,
  type Histogram,
  type MeterProvider,
  metrics,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type TracerProvider,
  trace,
} from '@opentelemetry/api'
import type {
  AttemptEndEvent,
  AttemptStartEvent,
  CacheEvent,
  CallEndEvent,
  CallStartEvent,
  CallTrace,
  RedirectEvent,
} from '../call/diagnostics.ts'
import type { Result } from '../result/types.ts'

export interface InstrumentOptions {
  /** Default: the global tracer provider. */
  readonly tracerProvider?: TracerProvider
  /** Default: the global meter provider. */
  readonly meterProvider?: MeterProvider
  /** Default: the global propagator (W3C trace context once an SDK registers it). */
  readonly propagator?: TextMapPropagator
}

interface CallState {
  readonly span: Span
  readonly context: Context
  readonly attempts: Map<number, Span>
}

const SCOPE = 'fetchkind'
/** The buckets the semantic conventions advise for http.client.request.duration, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
/** The kinds that mean the call did not get what it asked for. */
const FAILED_KINDS = new Set<Result['kind']>([
  'client-error',
  'server-error',
  'network-error',
  'timeout',
  'aborted',
  'invalid-response',
  'refused',
  'hook-error',
])

/** Starts tracing every fetchkind call; returns the function that stops it. */
export function instrument(options: InstrumentOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE)
  const duration: Histogram = (options.meterProvider ?? metrics.getMeterProvider())
    .getMeter(SCOPE)
    .createHistogram('http.client.request.duration', {
      unit: 's',
      description: 'Duration of HTTP client requests.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    })
  const propagator = options.propagator
  const calls = new WeakMap<CallTrace, CallState>()

  const onCallStart = ({ call }: CallStartEvent) => {
    const parent = context.active()
    const span = tracer.startSpan(
      call.method,
      { kind: SpanKind.CLIENT, attributes: target(call.method, call.url) },
      parent,
    )
    calls.set(call, { span, context: trace.setSpan(parent, span), attempts: new Map() })
  }

  const onAttemptStart = ({ call, url, method, headers, resendCount }: AttemptStartEvent) => {
    const state = calls.get(call)
    if (!state) return
    const attributes = target(method, url)
    if (resendCount > 0) attributes['http.request.resend_count'] = resendCount
    const span = tracer.startSpan(method, { kind: SpanKind.CLIENT, attributes }, state.context)
    state.attempts.set(resendCount, span)
    const carrier = { set: (target: Headers, key: string, value: string) => target.set(key, value) }
    const attemptContext = trace.setSpan(state.context, span)
    if (propagator) propagator.inject(attemptContext, headers, carrier)
    else propagation.inject(attemptContext, headers, carrier)
  }

  const onAttemptEnd = (event: AttemptEndEvent) => {
    const span = calls.get(event.call)?.attempts.get(event.resendCount)
    const attributes: Attributes = target(event.method, event.url)
    if (event.status !== null) attributes['http.response.status_code'] = event.status
    const errorType =
      event.error ?? (event.status !== null && event.status >= 400 ? String(event.status) : null)
    if (errorType) attributes['error.type'] = errorType
    duration.record(event.duration / 1000, histogramAttributes(attributes))
    if (!span) return
    if (event.status !== null) span.setAttribute('http.response.status_code', event.status)
    if (errorType) {
      span.setAttribute('error.type', errorType)
      span.setStatus({ code: SpanStatusCode.ERROR })
    }
    span.end()
  }

  const onRedirect = ({ call, from, to, status }: RedirectEvent) => {
    calls.get(call)?.span.addEvent('redirect', {
      'url.full': to.href,
      'fetchkind.redirect.from': from.href,
      'http.response.status_code': status,
    })
  }

  const onCache = ({ call, cache }: CacheEvent) => {
    calls.get(call)?.span.setAttribute('fetchkind.cache', cache)
  }

  const onCallEnd = ({ call, result }: CallEndEvent) => {
    const state = calls.get(call)
    if (!state) return
    calls.delete(call)
    const { span } = state
    span.setAttribute('fetchkind.result.kind', result.kind)
    span.setAttribute('url.full', result.meta.request.url)
    if ('status' in result && result.status !== null)
      span.setAttribute('http.response.status_code', result.status)
    if (FAILED_KINDS.has(result.kind)) {
      span.setAttribute('error.type', errorTypeOf(result))
      span.setStatus({ code: SpanStatusCode.ERROR })
    }
    span.end()
  }

  const listeners = [
    ['fetchkind:call:start', onCallStart],
    ['fetchkind:attempt:start', onAttemptStart],
    ['fetchkind:attempt:end', onAttemptEnd],
    ['fetchkind:redirect', onRedirect],
    ['fetchkind:cache', onCache],
    ['fetchkind:call:end', onCallEnd],
  ] as const
  for (const [name, listener] of listeners) subscribe(name, listener as (message: unknown) => void)
  return () => {
    for (const [name, listener] of listeners) unsubscribe(name, listener as (message: unknown) => void)
  }
}

/** The request attributes of the semantic conventions. */
function target(method: string, url: URL): Attributes {
  return {
    'http.request.method': method,
    'url.full': url.href,
    'server.address': url.hostname,
    'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
  }
}

/** The histogram keeps low-cardinality attributes only: not the full URL. */
function histogramAttributes(attributes: Attributes): Attributes {
  const { 'url.full': _url, ...rest } = attributes
  return rest
}

/** error.type: the status for an HTTP error, the network code, or else the kind. */
function errorTypeOf(result: Result): string {
  if (result.kind === 'client-error' || result.kind === 'server-error') return String(result.status)
  if (result.kind === 'network-error') return result.code
  return result.kind
}
