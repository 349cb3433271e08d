/**
 * fetchkind/otel against the SDK's in-memory exporter and a metric reader: span kinds, names and
 * attributes by the HTTP client semantic conventions, url.full redacted, the options that turn
 * each part off, the policy metrics, and the call's span active for everything beneath it.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import { DEFAULT_SENSITIVE_QUERY_PARAMETERS, instrument, POLICY_METRICS } from '../../src/otel.ts'
import { MemoryPolicyStore } from '../../src/stores.ts'
import type { FetchFunction, Transport } from '../../src/transport.ts'
import { undiciTransport } from '../../src/undici.ts'
import { networkFailure, scriptedFetch, status } from '../support/fake-fetch.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

/** Collects metrics when asked, as a test wants. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const exporter = new InMemorySpanExporter()
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] })
let origin: LoopbackOrigin
let stop: (() => void) | undefined

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  propagation.setGlobalPropagator(new W3CTraceContextPropagator())
  origin = await startOrigin({ '/': (_request, response) => response.writeHead(200).end('ok') })
})

afterEach(() => {
  stop?.()
  stop = undefined
  exporter.reset()
})

afterAll(async () => {
  context.disable()
  propagation.disable()
  await origin.stop()
})

/** Instruments with a meter of its own, so that each test reads only its own points. */
function instrumented(options: Parameters<typeof instrument>[0] = {}) {
  const reader = new CollectingReader()
  const meterProvider = new MeterProvider({ readers: [reader] })
  stop = instrument({ tracerProvider, meterProvider, ...options })
  const points = async (name: string) => {
    const { resourceMetrics } = await reader.collect()
    const metric = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((candidate) => candidate.descriptor.name === name)
    return (metric?.dataPoints ?? []) as { attributes: Record<string, unknown>; value: unknown }[]
  }
  /** A counter's totals by the value of one attribute. */
  const sum = async (name: string, attribute: string) => {
    const totals: Record<string, number> = {}
    for (const point of await points(name)) {
      const key = String(point.attributes[attribute])
      totals[key] = (totals[key] ?? 0) + Number(point.value)
    }
    return totals
  }
  return { points, sum }
}

const retry = { backoff: { initial: 1, max: 1, jitter: 'none' }, budget: false } as const
const byName = (spans: ReadableSpan[], name: string) => spans.filter((span) => span.name === name)

describe('spans', () => {
  it('a call redirected once and retried twice: an INTERNAL call span, a CLIENT span per attempt', async () => {
    instrumented()
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
    const [serverSpan] = byName(spans, 'handle request')
    const [callSpan] = byName(spans, 'fetchkind GET')
    const attempts = byName(spans, 'GET')
    if (!callSpan || !serverSpan) throw new Error('spans missing')

    // The call span is INTERNAL, under the caller's span: CLIENT spans are for requests sent.
    expect(callSpan.kind).toBe(SpanKind.INTERNAL)
    expect(callSpan.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId)
    expect(callSpan.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': 'https://api.test/new',
      'server.address': 'api.test',
      'server.port': 443,
      'http.response.status_code': 200,
      'fetchkind.result.kind': 'success',
    })
    expect(callSpan.events.map((event) => event.name)).toEqual([
      'fetchkind.redirect',
      'fetchkind.retry',
      'fetchkind.retry',
    ])
    expect(callSpan.events[0]?.attributes).toMatchObject({ 'url.full': 'https://api.test/new' })
    expect(callSpan.events[1]?.attributes).toMatchObject({
      // Counted within its redirect hop, as the retry policy counts (RetryContext.attempt).
      'fetchkind.retry.attempt': 1,
      'http.response.status_code': 503,
      'fetchkind.retry.delay_reason': 'backoff',
    })
    expect(callSpan.status.code).not.toBe(SpanStatusCode.ERROR)

    // One CLIENT child per attempt, in order, with the resend count the conventions ask for.
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
    instrumented()
    const { fetch } = scriptedFetch(networkFailure('ECONNREFUSED'))
    await createClient({ fetch, retry: false }).get('http://down.test:8080/')
    const [attempt, call] = exporter.getFinishedSpans()
    expect(call?.attributes).toMatchObject({ 'error.type': 'ECONNREFUSED', 'server.port': 8080 })
    expect(call?.status.code).toBe(SpanStatusCode.ERROR)
    expect(attempt?.attributes['error.type']).toBe('ECONNREFUSED')
  })

  it('a method the conventions do not know is _OTHER, its name in http.request.method_original', async () => {
    const { points } = instrumented()
    const { fetch } = scriptedFetch(status(207))
    await createClient({ fetch, retry: false }).request('http://dav.test/', { method: 'PROPFIND' })
    const [attempt, call] = exporter.getFinishedSpans()
    expect(attempt?.name).toBe('HTTP')
    expect(call?.name).toBe('fetchkind HTTP')
    for (const span of [attempt, call]) {
      expect(span?.attributes).toMatchObject({
        'http.request.method': '_OTHER',
        'http.request.method_original': 'PROPFIND',
      })
    }
    const [point] = await points('http.client.request.duration')
    expect(point?.attributes['http.request.method']).toBe('_OTHER')
  })

  it('network.protocol.version from the undici transport', async () => {
    instrumented()
    await createClient({ transport: undiciTransport(), retry: false }).get(`${origin.url}/`)
    const [attempt, call] = exporter.getFinishedSpans()
    expect(attempt?.attributes['network.protocol.version']).toBe('1.1')
    expect(call?.attributes['network.protocol.version']).toBe('1.1')
  })
})

describe('url.full', () => {
  it('shows the values of signed-URL query parameters as REDACTED, in spans, events and never in metrics', async () => {
    const { points } = instrumented()
    const signed =
      'https://bucket.test/o?X-Amz-Credential=AKIA%2F1&color=blue&X-Amz-Signature=f00d&sig=s3cret'
    const { fetch } = scriptedFetch(
      () => new Response(null, { status: 302, headers: { location: `${signed}&hop=2` } }),
      status(200),
    )
    await createClient({ fetch, retry: false }).get(signed)
    const spans = exporter.getFinishedSpans()
    const shown = [
      ...spans.map((span) => String(span.attributes['url.full'])),
      ...spans.flatMap((span) => span.events.map((event) => String(event.attributes?.['url.full']))),
    ]
    expect(shown).toContain(
      'https://bucket.test/o?X-Amz-Credential=REDACTED&color=blue&X-Amz-Signature=REDACTED&sig=REDACTED',
    )
    const everything = JSON.stringify(spans.map((span) => [span.attributes, span.events]))
    for (const secret of ['AKIA', 'f00d', 's3cret']) expect(everything).not.toContain(secret)
    const duration = await points('http.client.request.duration')
    expect(JSON.stringify(duration.map((point) => point.attributes))).not.toContain('bucket.test/o')
  })

  it('sensitiveQueryParameters replaces the list: add to the default to keep it', async () => {
    instrumented({ sensitiveQueryParameters: [...DEFAULT_SENSITIVE_QUERY_PARAMETERS, 'token'] })
    const { fetch } = scriptedFetch(status(200))
    await createClient({ fetch, retry: false }).get('https://api.test/?token=t0k&sig=s1g&Token=kept')
    expect(exporter.getFinishedSpans()[0]?.attributes['url.full']).toBe(
      'https://api.test/?token=REDACTED&sig=REDACTED&Token=kept',
    )
  })
})

describe('options', () => {
  it('attemptSpans: false leaves one CLIENT span per call, whose traceparent every attempt carries', async () => {
    instrumented({ attemptSpans: false })
    const { fetch, requests } = scriptedFetch(status(503), status(200))
    await createClient({ fetch, retry }).get('https://api.test/')
    const spans = exporter.getFinishedSpans()
    expect(spans.map((span) => [span.name, span.kind])).toEqual([['GET', SpanKind.CLIENT]])
    const { traceId, spanId } = spans[0]?.spanContext() ?? {}
    expect(requests.map((request) => request.headers.get('traceparent'))).toEqual([
      `00-${traceId}-${spanId}-01`,
      `00-${traceId}-${spanId}-01`,
    ])
  })

  it("callSpan: false leaves the attempts' CLIENT spans, children of the caller's span", async () => {
    instrumented({ callSpan: false })
    const { fetch } = scriptedFetch(status(200))
    const client = createClient({ fetch, retry: false })
    await tracerProvider.getTracer('service').startActiveSpan('handler', async (span) => {
      await client.get('https://api.test/')
      span.end()
    })
    const [attempt, handler] = exporter.getFinishedSpans()
    expect(attempt?.name).toBe('GET')
    expect(attempt?.parentSpanContext?.spanId).toBe(handler?.spanContext().spanId)
  })

  it('durationMetric: false records no duration; policyMetrics: false no policy counter', async () => {
    const { points } = instrumented({ durationMetric: false, policyMetrics: false })
    const { fetch } = scriptedFetch(status(503), status(200))
    await createClient({ fetch, retry }).get('https://api.test/')
    expect(await points('http.client.request.duration')).toEqual([])
    expect(await points(POLICY_METRICS.retries)).toEqual([])
    expect(exporter.getFinishedSpans()).toHaveLength(3)
  })

  it('undiciInstrumentation: true makes the INTERNAL call span only, and injects nothing', async () => {
    const { points } = instrumented({ undiciInstrumentation: true })
    const { fetch, requests } = scriptedFetch(status(200))
    await createClient({ fetch, retry: false }).get('https://api.test/')
    expect(exporter.getFinishedSpans().map((span) => [span.name, span.kind])).toEqual([
      ['fetchkind GET', SpanKind.INTERNAL],
    ])
    expect(requests[0]?.headers.has('traceparent')).toBe(false)
    expect(await points('http.client.request.duration')).toEqual([])
  })

  it('are checked: a TypeError naming the option', () => {
    expect(() => instrument({ attemptSpans: 'yes' as never })).toThrow(/"attemptSpans" must be a boolean/)
    expect(() => instrument({ undiciInstrumentation: true, attemptSpans: true })).toThrow(
      /"attemptSpans" must be false with undiciInstrumentation/,
    )
    expect(() => instrument({ undiciInstrumentation: true, durationMetric: true })).toThrow(
      /"durationMetric"/,
    )
    expect(() => instrument({ sensitiveQueryParameters: 'sig' as never })).toThrow(
      /"sensitiveQueryParameters" must be an array/,
    )
  })

  it('costs nothing once stopped: no spans, no traceparent', async () => {
    instrumented()
    stop?.()
    stop = undefined
    const { fetch, requests } = scriptedFetch(status(200))
    await createClient({ fetch }).get('http://quiet.test/')
    expect(exporter.getFinishedSpans()).toHaveLength(0)
    expect(requests[0]?.headers.has('traceparent')).toBe(false)
  })
})

describe('the call span is the active context beneath the call', () => {
  it('a transport (as undici instrumentation does) sees the call span as the active span', async () => {
    instrumented({ undiciInstrumentation: true })
    let active: string | undefined
    const transport: Transport = async () => {
      active = trace.getActiveSpan()?.spanContext().spanId
      return { status: 200, statusText: 'OK', headers: new Headers(), body: null }
    }
    await createClient({ transport, retry: false }).get('https://api.test/')
    expect(active).toBe(exporter.getFinishedSpans()[0]?.spanContext().spanId)
  })
})

describe('policy metrics', () => {
  it('count retries by reason, stops by reason, cache lookups, refusals and breaker transitions', async () => {
    const { sum } = instrumented()
    const { fetch } = scriptedFetch(
      status(503),
      () => new Response(null, { status: 429, headers: { 'retry-after': '0' } }),
      status(503),
      status(503),
    )
    const client = createClient({
      fetch,
      retry: { ...retry, limit: 2 },
      circuitBreaker: { minimumThroughput: 4, failureRatio: 0.5 },
    })
    // a: 503, retried after backoff; 429, retried after its Retry-After; 503, the limit reached.
    expect(await client.get('https://api.test/a')).toMatchObject({ meta: { retryStop: 'limit' } })
    // b: 503 opens the breaker (3 failures of 4), its retry is refused; c is refused at once.
    expect(await client.get('https://api.test/b')).toMatchObject({ kind: 'refused' })
    expect(await client.get('https://api.test/c')).toMatchObject({ kind: 'refused' })

    expect(await sum(POLICY_METRICS.retries, 'fetchkind.retry.delay_reason')).toEqual({
      backoff: 2,
      'retry-after': 1,
    })
    expect(await sum(POLICY_METRICS.retryStops, 'fetchkind.retry.stop')).toEqual({ limit: 1 })
    expect(await sum(POLICY_METRICS.refusals, 'fetchkind.refusal.reason')).toEqual({ 'circuit-open': 2 })
    expect(await sum(POLICY_METRICS.breakerTransitions, 'fetchkind.breaker.state')).toEqual({ open: 1 })
    const lookups = Object.values(await sum(POLICY_METRICS.cacheLookups, 'fetchkind.cache'))
    expect(lookups.reduce((total, count) => total + count, 0)).toBe(3)
  })

  it('count hedges by reason and whether sent, with an event on the call span, each copy an attempt span', async () => {
    const { sum } = instrumented()
    let sent = 0
    // The first copy never answers; the second answers at once.
    const fetch: FetchFunction = (_input, init) => {
      sent += 1
      if (sent > 1) return Promise.resolve(Response.json({ ok: true }))
      const signal = init.signal as AbortSignal
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
    }
    const client = createClient({ fetch, retry: false, hedge: { delay: 5 } })
    expect(await client.get('https://hedged.test/')).toMatchObject({ kind: 'success' })
    expect(await sum(POLICY_METRICS.hedges, 'fetchkind.hedge.sent')).toEqual({ true: 1 })
    const spans = exporter.getFinishedSpans()
    const [call] = byName(spans, 'fetchkind GET')
    expect(call?.events.map((event) => [event.name, event.attributes])).toEqual([
      ['fetchkind.hedge', { 'fetchkind.hedge.copy': 1, 'fetchkind.hedge.reason': 'delay' }],
    ])
    // Both copies are attempts: the one that answered, and the one cancelled for it.
    expect(byName(spans, 'GET').map((span) => span.status.code)).toEqual([
      SpanStatusCode.UNSET,
      SpanStatusCode.ERROR,
    ])
  })

  it('record the adaptive concurrency limit as it moves, by server and never by key', async () => {
    const { points } = instrumented()
    const fetch: FetchFunction = () => Promise.resolve(new Response('ok'))
    // A key per path: were the key an attribute, each would be a series of its own.
    const client = createClient({
      fetch,
      retry: false,
      cache: false,
      adaptiveConcurrency: { initialConcurrent: 4, key: (request) => request.url.href },
    })
    // A call every 5 ms for 0.5 s: two probes (at 2, then 1) of 100 ms each, then the limit is 4.
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout', 'clearTimeout', 'Date'] })
    try {
      for (let call = 0; call < 100; call++) {
        await client.get(`https://limited.test/${call % 2}`)
        await vi.advanceTimersByTimeAsync(5)
      }
    } finally {
      vi.useRealTimers()
    }
    const recorded = await points(POLICY_METRICS.concurrencyLimit)
    expect(recorded).toEqual([
      expect.objectContaining({
        attributes: { 'server.address': 'limited.test', 'server.port': 443 },
        value: 4,
      }),
    ])
  })

  it('count store fallbacks by store and operation, and cooldown waits in seconds', async () => {
    const { points } = instrumented()
    const failing = {
      admit: () => Promise.reject(new Error('down')),
      withdraw: () => Promise.reject(new Error('down')),
      coolDown: () => Promise.reject(new Error('down')),
    }
    await createClient({ fetch: scriptedFetch(status(200)).fetch, retry: { store: failing } }).get(
      'https://api.test/',
    )
    const [fallback] = await points(POLICY_METRICS.storeFallbacks)
    expect(fallback?.attributes).toEqual({ 'fetchkind.store': 'retry', 'fetchkind.store.operation': 'admit' })

    const store = new MemoryPolicyStore()
    await store.coolDown('https://held.test', { status: 429, ms: 50 })
    const held = await createClient({ fetch: scriptedFetch(status(200)).fetch, retry: { store } }).get(
      'https://held.test/',
    )
    const [wait] = await points(POLICY_METRICS.cooldownWaits)
    expect(wait?.attributes).toMatchObject({ 'server.address': 'held.test', 'fetchkind.cooldown.sent': true })
    // What was left of the 50 ms when the call came (less on a busy machine), in seconds.
    const waited = held.meta.cooldown?.ms ?? Number.NaN
    expect(waited).toBeGreaterThan(0)
    expect(waited).toBeLessThanOrEqual(50)
    expect((wait?.value as { sum: number } | undefined)?.sum).toBe(waited / 1000)
  })
})

describe('waits for a turn', () => {
  it("record a rate limit's wait and a bulkhead queue's, by policy, in seconds", async () => {
    const { points } = instrumented()
    let release: () => void = () => {}
    const transport: Transport = async (request) => {
      if (request.url.pathname === '/slow') await new Promise<void>((resolve) => (release = resolve))
      return { status: 200, statusText: 'OK', headers: new Headers(), body: null }
    }
    const limited = createClient({
      transport,
      retry: false,
      rateLimit: { limit: 1, interval: 100, maxWait: 1_000 },
    })
    await limited.get('https://limited.test/a')
    await limited.get('https://limited.test/b')
    const crowded = createClient({ transport, retry: false, bulkhead: { maxConcurrent: 1, maxQueued: 1 } })
    const first = crowded.get('https://crowded.test/slow')
    const second = crowded.get('https://crowded.test/fast')
    await new Promise((resolve) => setTimeout(resolve, 50))
    release()
    await Promise.all([first, second])
    const waits = await points(POLICY_METRICS.policyWaits)
    const byPolicy = Object.fromEntries(
      waits.map((point) => [
        point.attributes['fetchkind.policy'],
        point.value as { count: number; sum: number },
      ]),
    )
    expect(byPolicy['rate-limit']?.count).toBe(1)
    expect(byPolicy['rate-limit']?.sum).toBeGreaterThan(0)
    expect(byPolicy.bulkhead?.count).toBe(1)
    expect(byPolicy.bulkhead?.sum).toBeGreaterThan(0)
    expect(waits.map((point) => point.attributes['server.address']).sort()).toEqual([
      'crowded.test',
      'limited.test',
    ])
  })
})

describe('policy metrics under load', () => {
  it('over 300 calls at once to an origin that fails one request in three, the counters agree with every meta', async () => {
    const { points, sum } = instrumented()
    let sent = 0
    const loaded = await startOrigin({
      '/': (_request, response) => {
        sent += 1
        if (sent % 3 === 0) return response.writeHead(503, { 'retry-after': '0' }).end()
        if (sent % 7 === 0) return response.writeHead(429).end()
        response.writeHead(200, { 'cache-control': 'no-store' }).end('ok')
      },
    })
    try {
      const client = createClient({
        transport: undiciTransport(),
        retry: { limit: 1, backoff: { initial: 1, max: 5 }, budget: { ratio: 0.2, minPerSecond: 1 } },
      })
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => client.get(`${loaded.url}/?n=${i}`)),
      )
      const count = <T>(values: T[]) => {
        const totals: Record<string, number> = {}
        for (const value of values) totals[String(value)] = (totals[String(value)] ?? 0) + 1
        return totals
      }
      const metas = results.map((result) => result.meta)
      expect(await sum(POLICY_METRICS.retries, 'fetchkind.retry.delay_reason')).toEqual(
        count(metas.flatMap((meta) => meta.attempts.flatMap((attempt) => attempt.delayReason ?? []))),
      )
      expect(await sum(POLICY_METRICS.retryStops, 'fetchkind.retry.stop')).toEqual(
        count(metas.flatMap((meta) => meta.retryStop ?? [])),
      )
      expect(await sum(POLICY_METRICS.cacheLookups, 'fetchkind.cache')).toEqual(
        count(metas.map((meta) => meta.cache)),
      )
      // Some were retried and some stopped: the load exercised both.
      expect(metas.some((meta) => meta.retryStop !== null)).toBe(true)
      expect(metas.some((meta) => meta.attempts.length > 1)).toBe(true)
      const durations = await points('http.client.request.duration')
      const recorded = durations.reduce((total, point) => total + (point.value as { count: number }).count, 0)
      expect(recorded).toBe(metas.reduce((total, meta) => total + meta.attempts.length, 0))
    } finally {
      await loaded.stop()
    }
  })
})
