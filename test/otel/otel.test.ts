import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { instrument } from '../../src/otel.ts'
import { networkFailure, scriptedFetch, status } from '../support/fake-fetch.ts'

/** Collects metrics when asked, as a test wants. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const exporter = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
const reader = new CollectingReader()
const meterProvider = new MeterProvider({ readers: [reader] })
let stop: () => void

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  stop = instrument({ tracerProvider, meterProvider })
})

afterAll(() => {
  stop()
  context.disable()
  propagation.disable()
})

const retry = { backoff: { initial: 1, max: 1, jitter: 'none' }, budget: false } as const

describe('fetchkind/otel', () => {
  it('a call redirected once and retried twice: one call span, one child span per attempt', async () => {
    exporter.reset()
    const { fetch, requests } = scriptedFetch(
      () => new Response(null, { status: 301, headers: { location: 'https://api.test/new' } }),
      status(503),
      status(503),
      status(200),
    )
    const client = createClient({ fetch, retry })
    const server = tracerProvider.getTracer('service')
    const result = await server.startActiveSpan('handle request', async (span) => {
      const answer = await client.get('https://api.test/old')
      span.end()
      return answer
    })
    expect(result.kind).toBe('success')

    const spans = exporter.getFinishedSpans()
    const serverSpan = spans.find((span) => span.name === 'handle request')
    const callSpan = spans.find((span) => span.attributes['fetchkind.result.kind'] !== undefined)
    const attempts = spans.filter((span) => span !== callSpan && span !== serverSpan)
    expect(callSpan).toBeDefined()
    if (!callSpan || !serverSpan) return

    // The call span is a CLIENT span under the caller's span.
    expect(callSpan.name).toBe('GET')
    expect(callSpan.kind).toBe(SpanKind.CLIENT)
    expect(callSpan.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId)
    expect(callSpan.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': 'https://api.test/new',
      'server.address': 'api.test',
      'server.port': 443,
      'http.response.status_code': 200,
      'fetchkind.result.kind': 'success',
    })
    expect(callSpan.events.map((event) => [event.name, event.attributes?.['url.full']])).toEqual([
      ['redirect', 'https://api.test/new'],
    ])
    expect(callSpan.status.code).not.toBe(SpanStatusCode.ERROR)

    // One child per attempt, in order, with the resend count the conventions ask for.
    expect(attempts).toHaveLength(4)
    for (const attempt of attempts) {
      expect(attempt.parentSpanContext?.spanId).toBe(callSpan.spanContext().spanId)
      expect(attempt.kind).toBe(SpanKind.CLIENT)
    }
    expect(
      attempts.map((span) => [
        span.attributes['url.full'],
        span.attributes['http.response.status_code'],
        span.attributes['http.request.resend_count'],
        span.attributes['error.type'],
      ]),
    ).toEqual([
      ['https://api.test/old', 301, undefined, undefined],
      ['https://api.test/new', 503, 1, '503'],
      ['https://api.test/new', 503, 2, '503'],
      ['https://api.test/new', 200, 3, undefined],
    ])
    expect(attempts[1]?.status.code).toBe(SpanStatusCode.ERROR)

    // Each attempt carried its own span's traceparent.
    expect(requests.map((request) => request.headers.get('traceparent'))).toEqual(
      attempts.map((span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`),
    )
  })

  it('a failed call sets error.type from the network code', async () => {
    exporter.reset()
    const { fetch } = scriptedFetch(networkFailure('ECONNREFUSED'))
    await createClient({ fetch, retry: false }).get('http://down.test:8080/')
    const [attempt, call] = exporter.getFinishedSpans()
    expect(call?.attributes).toMatchObject({ 'error.type': 'ECONNREFUSED', 'server.port': 8080 })
    expect(call?.status.code).toBe(SpanStatusCode.ERROR)
    expect(attempt?.attributes['error.type']).toBe('ECONNREFUSED')
  })

  it('records http.client.request.duration per attempt, in seconds, without the full URL', async () => {
    const { fetch } = scriptedFetch(status(503), status(200))
    await createClient({ fetch, retry }).get('http://metrics.test/')
    const { resourceMetrics } = await reader.collect()
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((candidate) => candidate.descriptor.name === 'http.client.request.duration')
    expect(metric?.descriptor.unit).toBe('s')
    const points = (metric?.dataPoints ?? []) as {
      attributes: Record<string, unknown>
      value: { count: number }
    }[]
    const forHost = points.filter((point) => point.attributes['server.address'] === 'metrics.test')
    expect(
      forHost.map((point) => [point.attributes['http.response.status_code'], point.value.count]).sort(),
    ).toEqual([
      [200, 1],
      [503, 1],
    ])
    expect(forHost.every((point) => point.attributes['url.full'] === undefined)).toBe(true)
  })

  it('costs nothing once stopped: no spans', async () => {
    stop()
    exporter.reset()
    const { fetch, requests } = scriptedFetch(status(200))
    await createClient({ fetch }).get('http://quiet.test/')
    expect(exporter.getFinishedSpans()).toHaveLength(0)
    expect(requests[0]?.headers.has('traceparent')).toBe(false)
    stop = instrument({ tracerProvider, meterProvider })
  })
})
