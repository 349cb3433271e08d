/**
 * An Express service calling an upstream through fetchkind, with OpenTelemetry on. Each incoming
 * request gets a server span; each fetchkind call an INTERNAL span under it; each network attempt
 * (here a 503, then its retry) a CLIENT span under that. The tree is printed once the request is
 * answered.
 *
 *   node examples/traced-service.ts                              fetchkind's attempt spans
 *   node examples/traced-service.ts --with-undici-instrumentation   undici's, beside fetchkind
 *
 * With `@opentelemetry/instrumentation-undici` registered (as the Node auto-instrumentations do),
 * `instrument({ undiciInstrumentation: true })` leaves the attempts to undici's CLIENT spans, whose
 * parent is fetchkind's call span: the same tree, one span per request sent, one duration series.
 */
import { get } from 'node:http'
import { context, propagation, SpanKind, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace'
import express from 'express'
import { createClient } from 'fetchkind'
import { instrument } from 'fetchkind/otel'
import { localOrigin } from './local-origin.ts'

const withUndici = process.argv.includes('--with-undici-instrumentation')

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
propagation.setGlobalPropagator(new W3CTraceContextPropagator())
const spans = new InMemorySpanExporter()
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] })
trace.setGlobalTracerProvider(tracerProvider)

if (withUndici) {
  const { UndiciInstrumentation } = await import('@opentelemetry/instrumentation-undici')
  const { registerInstrumentations } = await import('@opentelemetry/instrumentation')
  registerInstrumentations({ instrumentations: [new UndiciInstrumentation()], tracerProvider })
}
const stopTracing = instrument({ undiciInstrumentation: withUndici })

// The upstream: busy once, then it answers; it shows the traceparent each attempt carried.
let calls = 0
const upstream = await localOrigin((request, response) => {
  calls += 1
  console.log(`upstream got traceparent ${request.headers.traceparent}`)
  if (calls === 1) return response.writeHead(503, { 'retry-after': '0' }).end()
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":42,"name":"Ada"}')
})

const users = createClient({ baseUrl: upstream.url })
const app = express()
const tracer = trace.getTracer('service')
app.get('/users/:id', (request, response) => {
  // An HTTP server instrumentation would open this span; here it is opened by hand.
  tracer.startActiveSpan('GET /users/:id', { kind: SpanKind.SERVER }, async (span) => {
    const result = await users.get(`/users/${request.params.id}`)
    response
      .status(result.kind === 'success' ? 200 : 502)
      .json(result.kind === 'success' ? result.data : { error: result.kind })
    span.end()
  })
})
const service = app.listen(0, '127.0.0.1')
await new Promise((resolve) => service.once('listening', resolve))
const address = service.address() as { port: number }

// The service's own caller, by node:http: undici's instrumentation would trace a fetch here too.
const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
  get(`http://127.0.0.1:${address.port}/users/42`, (response) => {
    let body = ''
    response.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk
    })
    response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
  }).on('error', reject)
})
console.log('service answered', answer.status, JSON.parse(answer.body))
printTree(spans.getFinishedSpans())

stopTracing()
service.close()
upstream.close()

/** Each span under its parent, with its kind, its scope, and what the conventions say of it. */
function printTree(finished: ReadableSpan[]): void {
  const children = (parent: string | undefined) =>
    finished
      .filter((span) => span.parentSpanContext?.spanId === parent)
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
  const print = (span: ReadableSpan, depth: number) => {
    const { 'http.response.status_code': status, 'http.request.resend_count': resend } = span.attributes
    const details = [status && `status ${status}`, resend && `resend ${resend}`].filter(Boolean).join(', ')
    const scope = span.instrumentationScope.name
    console.log(
      `span ${'  '.repeat(depth)}${span.name} ${SpanKind[span.kind]} (${scope}) ${details}`.trimEnd(),
    )
    for (const child of children(span.spanContext().spanId)) print(child, depth + 1)
  }
  for (const root of children(undefined)) print(root, 0)
}
