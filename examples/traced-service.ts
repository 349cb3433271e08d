/**
 * An Express service calling an upstream through fetchkind, with OpenTelemetry on: each incoming
 * request gets a server span, each fetchkind call a client span under it, and each network
 * attempt (a retry, a redirect) a span of its own, printed here as they end.
 */
import { context, propagation, SpanKind, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core'
import { BasicTracerProvider, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import express from 'express'
import { createClient } from 'fetchkind'
import { instrument } from 'fetchkind/otel'
import { localOrigin } from './local-origin.ts'

/** Prints each span as it ends: its name, its ids, and the attributes the conventions set. */
const printer = {
  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void) {
    for (const span of spans) {
      const {
        'url.full': url,
        'http.response.status_code': status,
        'http.request.resend_count': resend,
        'error.type': error,
      } = span.attributes
      const parent = span.parentSpanContext?.spanId ?? 'none'
      const details = [
        url,
        status && `status ${status}`,
        resend && `resend ${resend}`,
        error && `error ${error}`,
      ]
      console.log(
        `span ${span.name.padEnd(14)} ${SpanKind[span.kind].padEnd(6)} ${span.spanContext().spanId} ← ${parent}  ${details.filter(Boolean).join(', ')}`,
      )
    }
    done({ code: ExportResultCode.SUCCESS })
  },
  shutdown: async () => {},
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
propagation.setGlobalPropagator(new W3CTraceContextPropagator())
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(printer)] })
trace.setGlobalTracerProvider(tracerProvider)
const stopTracing = instrument()

// The upstream: busy once, then it answers, and it sees the traceparent of each attempt.
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
  tracer.startActiveSpan(`GET /users/:id`, { kind: SpanKind.SERVER }, async (span) => {
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

const answer = await fetch(`http://127.0.0.1:${address.port}/users/42`)
console.log('service answered', answer.status, await answer.json())

stopTracing()
service.close()
upstream.close()
