/**
 * `fetchkind/otel`: OpenTelemetry tracing and metrics for every fetchkind client in the process,
 * by listening to fetchkind's diagnostics channels — so that when it is off, tracing costs
 * nothing. Spans and attributes by the HTTP client semantic conventions (spans.ts,
 * attributes.ts), the duration metric and the policies' counters (metrics.ts); and each call runs
 * with its span as the active context, so that spans made beneath it — undici's own
 * instrumentation's, a hook's — are its children.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { context, metrics, trace } from '@opentelemetry/api'
import { type CallScope, setCallScope } from '../call/diagnostics.ts'
import { metricListeners } from './metrics.ts'
import { type InstrumentOptions, resolveInstrumentation } from './options.ts'
import { callSpans } from './spans.ts'

export { DEFAULT_SENSITIVE_QUERY_PARAMETERS } from './attributes.ts'
export { POLICY_METRICS } from './metrics.ts'
export type { InstrumentOptions } from './options.ts'

const SCOPE = 'fetchkind'

/** Starts tracing every fetchkind call; returns the function that stops it. Throws a TypeError naming a bad option. */
export function instrument(options: InstrumentOptions = {}): () => void {
  const settings = resolveInstrumentation(options)
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE)
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE)
  const spans =
    settings.callSpan || settings.attemptSpans ? callSpans(tracer, settings, options.propagator) : null
  const listeners = [...(spans?.listeners ?? []), ...metricListeners(meter, settings)]
  for (const [name, listener] of listeners) subscribe(name, listener as (message: unknown) => void)

  // The call's span, active while the call runs.
  const scope: CallScope | null = settings.callSpan
    ? (call, run) => {
        const within = spans?.contextOf(call)
        return within ? context.with(within, run) : run()
      }
    : null
  const replaced = scope ? setCallScope(scope) : null
  return () => {
    for (const [name, listener] of listeners) unsubscribe(name, listener as (message: unknown) => void)
    // Another instrument() since may have set its own scope: that one stays.
    if (scope) {
      const current = setCallScope(replaced)
      if (current !== scope) setCallScope(current)
    }
  }
}
