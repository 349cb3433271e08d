/**
 * A transport that answers from a table of routes, for testing code that uses a client without a
 * network: every policy (retries, redirects, the cache, deadlines) runs as it would against a
 * server, and every request is recorded.
 */
import { sleep } from '../ground/wait.ts'
import type { HeadersInit } from '../http/fetch-types.ts'
import { NULL_BODY_STATUSES } from '../result/status.ts'
import { bytesBody } from '../transport/response-body.ts'
import type { Transport, TransportRequest, TransportResponse } from '../transport/types.ts'
import { TransportUnavailableError } from '../transport/unavailable.ts'

/** What a route answers: a status alone, a response, or a network failure. */
export type RouteAnswer = number | RouteResponse | RouteFailure

export interface RouteResponse {
  /** Default 200. */
  readonly status?: number | undefined
  readonly headers?: HeadersInit | undefined
  /** Sent as JSON, with `content-type: application/json` unless `headers` names one. */
  readonly json?: unknown | undefined
  /** Sent as text, with `content-type: text/plain;charset=utf-8` unless `headers` names one. */
  readonly text?: string | undefined
  /** Sent as it is. */
  readonly body?: Uint8Array | undefined
  /** Milliseconds before the answer: a deadline or the caller's abort cuts it (fake timers apply). */
  readonly delay?: number | undefined
}

export interface RouteFailure {
  /** A network error code, as a transport reports it: `'ECONNREFUSED'`, `'ECONNRESET'`, … */
  readonly error: string
  readonly delay?: number | undefined
}

/** A request as the route table saw it. */
export interface RouteRequest {
  readonly method: string
  readonly url: URL
  readonly headers: Headers
  /** The body as text; `null` without one. */
  readonly body: string | null
}

/**
 * A route's answer: one for every request, a list answered in turn (the last one repeated, so
 * that `[503, 200]` is a retried success), or a function of the request.
 */
export type Route =
  | RouteAnswer
  | readonly RouteAnswer[]
  | ((request: RouteRequest) => RouteAnswer | Promise<RouteAnswer>)

/**
 * Routes by `'METHOD /path'`, `'/path'` (any method) or with an origin (`'GET https://api.test/x'`);
 * a query in the key must match too, and without one any query does.
 */
export type Routes = Readonly<Record<string, Route>>

export interface RouteTransport extends Transport {
  /** Every request sent, in order: what a test asserts on. */
  readonly calls: readonly RouteRequest[]
}

interface CompiledRoute {
  readonly method: string | null
  readonly target: string
  readonly withOrigin: boolean
  readonly withQuery: boolean
  readonly route: Route
  answered: number
}

export interface RouteTransportOptions {
  /**
   * What a request no route matches gets. Default `'error'`: the call rejects with a
   * `TransportUnavailableError` (`code: 'ERR_NO_ROUTE'`) naming the request and the routes, so
   * that a typo in a route fails the test rather than passing as a 404. Or an answer, such as
   * `404` or `{ error: 'ECONNREFUSED' }`.
   */
  readonly unmatched?: 'error' | RouteAnswer | undefined
}

/** A transport for `createClient({ transport })` that answers from `routes`. */
export function routeTransport(routes: Routes, options: RouteTransportOptions = {}): RouteTransport {
  const table = Object.entries(routes).map(([key, route]) => compile(key, route))
  const unmatched = checkUnmatched(options.unmatched ?? 'error')
  const calls: RouteRequest[] = []
  const transport = async (request: TransportRequest): Promise<TransportResponse> => {
    const seen: RouteRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: new Headers(request.headers),
      body: request.body === null ? null : await new Response(request.body).text(),
    }
    calls.push(seen)
    const found = table.find((route) => matches(route, seen))
    if (!found && unmatched === 'error') {
      const keys = Object.keys(routes).join(', ') || 'none'
      throw new TransportUnavailableError(
        `fetchkind/testing: no route for ${seen.method} ${seen.url.href} (routes: ${keys})`,
        { code: 'ERR_NO_ROUTE' },
      )
    }
    const answer = found ? await answerOf(found, seen) : (unmatched as RouteAnswer)
    const delay = typeof answer === 'number' ? 0 : (answer.delay ?? 0)
    if (delay > 0) await sleep(delay, request.signal)
    request.signal.throwIfAborted()
    if (typeof answer === 'object' && 'error' in answer) throw networkFailure(answer.error, seen.url)
    return respond(typeof answer === 'number' ? { status: answer } : answer, seen)
  }
  return Object.assign(transport, { calls })
}

function checkUnmatched(unmatched: unknown): 'error' | RouteAnswer {
  if (unmatched === 'error' || typeof unmatched === 'number') return unmatched
  if (typeof unmatched === 'object' && unmatched !== null) return unmatched as RouteAnswer
  throw new TypeError(
    `fetchkind/testing: routeTransport option "unmatched" must be 'error' or an answer, got ${String(unmatched)}`,
  )
}

function compile(key: string, route: Route): CompiledRoute {
  const match = /^(?:([A-Za-z]+)\s+)?(\S+)$/.exec(key.trim())
  if (!match?.[2]) throw new TypeError(`fetchkind/testing: route "${key}" is not "METHOD /path" or "/path"`)
  const [, method, target] = match
  const withOrigin = /^https?:\/\//i.test(target)
  // Through the URL parser, so that the key is spelled as a request's URL is.
  const parsed = new URL(target, 'http://route.invalid')
  const path = parsed.pathname + (target.includes('?') ? parsed.search : '')
  return {
    method: method ? method.toUpperCase() : null,
    target: withOrigin ? parsed.origin + path : path,
    withOrigin,
    withQuery: target.includes('?'),
    route,
    answered: 0,
  }
}

function matches(route: CompiledRoute, request: RouteRequest): boolean {
  if (route.method !== null && route.method !== request.method.toUpperCase()) return false
  const { url } = request
  const path = url.pathname + (route.withQuery ? url.search : '')
  return route.target === (route.withOrigin ? url.origin + path : path)
}

async function answerOf(route: CompiledRoute, request: RouteRequest): Promise<RouteAnswer> {
  const { route: answer } = route
  route.answered += 1
  if (typeof answer === 'function') return answer(request)
  if (Array.isArray(answer)) return answer[Math.min(route.answered, answer.length) - 1] as RouteAnswer
  return answer as RouteAnswer
}

function respond(answer: RouteResponse, request: RouteRequest): TransportResponse {
  const status = answer.status ?? 200
  const headers = new Headers(answer.headers)
  let bytes = answer.body ?? null
  if (answer.json !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    bytes = new TextEncoder().encode(JSON.stringify(answer.json))
  } else if (answer.text !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=utf-8')
    bytes = new TextEncoder().encode(answer.text)
  }
  const empty = request.method === 'HEAD' || NULL_BODY_STATUSES.has(status)
  if (bytes !== null && !empty && !headers.has('content-length'))
    headers.set('content-length', String(bytes.byteLength))
  return { status, statusText: '', headers, body: empty ? null : bytesBody(bytes ?? new Uint8Array(0)) }
}

/** A failure as fetch reports one: a TypeError whose cause carries the code. */
function networkFailure(code: string, url: URL): Error {
  const cause = Object.assign(new Error(`${code.toLowerCase()} ${url.host} (fetchkind/testing)`), { code })
  return new TypeError('fetch failed', { cause })
}
