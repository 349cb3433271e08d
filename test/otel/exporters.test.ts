/**
 * fetchkind/otel as a service runs it: beside `@opentelemetry/instrumentation-undici` (one span
 * tree, one duration series), and exporting over OTLP/HTTP to a receiver on loopback, where what
 * arrived is read back — and no secret from a URL is in it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { context, propagation, SpanKind } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { registerInstrumentations } from '@opentelemetry/instrumentation'
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici'
import { MeterProvider, MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { instrument } from '../../src/otel.ts'
import { fetchTransport } from '../../src/transport.ts'
import { undiciTransport } from '../../src/undici.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let origin: LoopbackOrigin
let busy = 0

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  origin = await startOrigin({
    '/flaky': (_request, response) => {
      busy += 1
      response.writeHead(busy % 2 === 1 ? 503 : 200, { 'retry-after': '0' }).end('ok')
    },
    '/signed': (_request, response) => response.writeHead(200).end('ok'),
  })
})

afterAll(async () => {
  context.disable()
  propagation.disable()
  await origin.stop()
})

describe('beside @opentelemetry/instrumentation-undici', () => {
  it("one span tree (fetchkind's INTERNAL call span over undici's CLIENT spans) and one duration series", async () => {
    const exporter = new InMemorySpanExporter()
    const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
    const reader = new CollectingReader()
    const meterProvider = new MeterProvider({ readers: [reader] })
    const undici = new UndiciInstrumentation()
    const unregister = registerInstrumentations({ instrumentations: [undici], tracerProvider, meterProvider })
    const stop = instrument({ tracerProvider, meterProvider, undiciInstrumentation: true })
    try {
      for (const transport of [undiciTransport(), fetchTransport()]) {
        const client = createClient({
          transport,
          retry: { backoff: { initial: 1, max: 1 } },
        })
        const result = await tracerProvider.getTracer('service').startActiveSpan('handler', async (span) => {
          const answer = await client.get(`${origin.url}/flaky`)
          span.end()
          return answer
        })
        expect(result.kind).toBe('success')
      }
    } finally {
      stop()
      unregister()
      undici.disable()
    }
    const spans = exporter.getFinishedSpans()
    const handlers = spans.filter((span) => span.name === 'handler')
    const calls = spans.filter((span) => span.name === 'fetchkind GET')
    const requests = spans.filter((span) => span.kind === SpanKind.CLIENT)
    // Two calls (the undici transport's and the fetch transport's), each two attempts.
    expect(handlers).toHaveLength(2)
    expect(calls.map((span) => span.kind)).toEqual([SpanKind.INTERNAL, SpanKind.INTERNAL])
    expect(requests).toHaveLength(4)
    for (const request of requests) {
      expect(request.instrumentationScope.name).toBe('@opentelemetry/instrumentation-undici')
      // Each CLIENT span is a child of a fetchkind call span: nothing CLIENT under CLIENT.
      expect(calls.map((call) => call.spanContext().spanId)).toContain(request.parentSpanContext?.spanId)
    }
    for (const [index, call] of calls.entries()) {
      expect(call.parentSpanContext?.spanId).toBe(handlers[index]?.spanContext().spanId)
    }

    const { resourceMetrics } = await reader.collect()
    const durations = resourceMetrics.scopeMetrics.filter((scope) =>
      scope.metrics.some((metric) => metric.descriptor.name === 'http.client.request.duration'),
    )
    expect(durations.map((scope) => scope.scope.name)).toEqual(['@opentelemetry/instrumentation-undici'])
    const retries = resourceMetrics.scopeMetrics
      .find((scope) => scope.scope.name === 'fetchkind')
      ?.metrics.find((metric) => metric.descriptor.name === 'fetchkind.client.retries')
    expect(retries?.dataPoints.reduce((sum, point) => sum + Number(point.value), 0)).toBe(2)
  })
})

describe('over OTLP/HTTP to a receiver on loopback', () => {
  it('the spans and the metrics arrive, and no signature from a URL is in what arrived', async () => {
    const received: { path: string; body: string }[] = []
    const receiver = createServer((request, response) => {
      let body = ''
      request.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk
      })
      request.on('end', () => {
        received.push({ path: request.url ?? '', body })
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const collector = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
    const tracerProvider = new TracerProvider({
      spanProcessors: [
        new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${collector}/v1/traces` }) }),
      ],
    })
    const metricReader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${collector}/v1/metrics` }),
      exportIntervalMillis: 60_000,
    })
    const meterProvider = new MeterProvider({ readers: [metricReader] })
    const stop = instrument({ tracerProvider, meterProvider })
    try {
      const signed = `${origin.url}/signed?X-Amz-Credential=AKIDSECRET&X-Amz-Signature=deadbeefcafe&sig=azuresecret&v=1`
      expect((await createClient({ transport: undiciTransport() }).get(signed)).kind).toBe('success')
      await tracerProvider.forceFlush()
      await meterProvider.forceFlush()
    } finally {
      stop()
      await tracerProvider.shutdown()
      await meterProvider.shutdown()
      receiver.close()
    }
    const traces = received.filter(({ path }) => path === '/v1/traces').map(({ body }) => body)
    const metrics = received.filter(({ path }) => path === '/v1/metrics').map(({ body }) => body)
    expect(traces.join('')).toContain('fetchkind GET')
    expect(traces.join('')).toContain('X-Amz-Signature=REDACTED')
    expect(metrics.join('')).toContain('http.client.request.duration')
    expect(metrics.join('')).toContain('fetchkind.client.cache.lookups')
    for (const secret of ['AKIDSECRET', 'deadbeefcafe', 'azuresecret']) {
      expect(received.map(({ body }) => body).join('')).not.toContain(secret)
    }
  })
})
