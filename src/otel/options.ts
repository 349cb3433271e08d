/** `instrument()`'s options, their defaults, and what they add up to. */
import type { MeterProvider, TextMapPropagator, TracerProvider } from '@opentelemetry/api'
import { checkBoolean, checkObject, optionError } from '../ground/validate.ts'
import { DEFAULT_SENSITIVE_QUERY_PARAMETERS } from './attributes.ts'

export interface InstrumentOptions {
  /** Default: the global tracer provider. */
  readonly tracerProvider?: TracerProvider | undefined
  /** Default: the global meter provider. */
  readonly meterProvider?: MeterProvider | undefined
  /** Default: the global propagator (W3C trace context once an SDK registers it). */
  readonly propagator?: TextMapPropagator | undefined
  /**
   * A span around each call, its attempts (and everything else done for it) beneath: INTERNAL
   * beside attempt spans or undici's instrumentation, CLIENT when it is the only HTTP span.
   * Default `true`.
   */
  readonly callSpan?: boolean | undefined
  /** A CLIENT span per network attempt (each retry, each redirect hop). Default `true`. */
  readonly attemptSpans?: boolean | undefined
  /** The `http.client.request.duration` histogram, per attempt. Default `true`. */
  readonly durationMetric?: boolean | undefined
  /** Counters and histograms of what the retry, cache, store and resilience policies did. Default `true`. */
  readonly policyMetrics?: boolean | undefined
  /**
   * `@opentelemetry/instrumentation-undici` is registered too: its CLIENT spans and its duration
   * metric stand for the attempts, so fetchkind makes neither (and injects no `traceparent`: undici's
   * span does), and its INTERNAL call span is their parent. Default `false`.
   */
  readonly undiciInstrumentation?: boolean | undefined
  /**
   * The query parameters whose values `url.full` shows as `REDACTED`; replaces the default list
   * (`DEFAULT_SENSITIVE_QUERY_PARAMETERS`, the conventions'), as the conventions' setting does —
   * add yours with `[...DEFAULT_SENSITIVE_QUERY_PARAMETERS, 'token']`. Case-sensitive.
   */
  readonly sensitiveQueryParameters?: readonly string[] | undefined
}

/** What `instrument()` makes, decided once. */
export interface Instrumentation {
  readonly callSpan: 'internal' | 'client' | null
  readonly attemptSpans: boolean
  /** Which span's context goes out as `traceparent`: the attempt's, the call's, or none. */
  readonly propagateFrom: 'attempt' | 'call' | null
  readonly durationMetric: boolean
  readonly policyMetrics: boolean
  readonly sensitive: ReadonlySet<string>
}

/** Checks the options and decides; throws a TypeError naming a bad option. */
export function resolveInstrumentation(options: InstrumentOptions): Instrumentation {
  checkObject(options, 'instrument options')
  const flag = (name: keyof InstrumentOptions, fallback: boolean) => {
    const value = options[name]
    return value === undefined ? fallback : checkBoolean(value, name)
  }
  const undici = flag('undiciInstrumentation', false)
  const attemptSpans = flag('attemptSpans', !undici)
  const durationMetric = flag('durationMetric', !undici)
  if (undici && attemptSpans) {
    throw optionError(
      'attemptSpans',
      'false with undiciInstrumentation (undici makes the attempt spans)',
      true,
    )
  }
  if (undici && durationMetric) {
    throw optionError('durationMetric', 'false with undiciInstrumentation (undici records it)', true)
  }
  const callSpan = flag('callSpan', true) ? (attemptSpans || undici ? 'internal' : 'client') : null
  return {
    callSpan,
    attemptSpans,
    propagateFrom: attemptSpans ? 'attempt' : callSpan === 'client' ? 'call' : null,
    durationMetric,
    policyMetrics: flag('policyMetrics', true),
    sensitive: new Set(sensitiveParameters(options.sensitiveQueryParameters)),
  }
}

function sensitiveParameters(given: unknown): readonly string[] {
  if (given === undefined) return DEFAULT_SENSITIVE_QUERY_PARAMETERS
  if (!Array.isArray(given) || !given.every((name) => typeof name === 'string' && name !== '')) {
    throw optionError('sensitiveQueryParameters', 'an array of parameter names', given)
  }
  return given
}
