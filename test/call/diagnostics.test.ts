import { AsyncLocalStorage } from 'node:async_hooks'
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallTracingContext } from '../../src/diagnostics.ts'
import { createClient } from '../../src/index.ts'
import type { Transport } from '../../src/transport.ts'
import { scriptedFetch, status } from '../support/fake-fetch.ts'

const names = [
  'fetchkind:call:start',
  'fetchkind:attempt:start',
  'fetchkind:attempt:end',
  'fetchkind:redirect',
  'fetchkind:cache',
  'fetchkind:call:end',
] as const
const listeners: [string, (message: unknown) => void][] = []

function record() {
  const events: { name: string; message: Record<string, unknown> }[] = []
  for (const name of names) {
    const listener = (message: unknown) => events.push({ name, message: message as Record<string, unknown> })
    subscribe(name, listener)
    listeners.push([name, listener])
  }
  return events
}

afterEach(() => {
  for (const [name, listener] of listeners.splice(0)) unsubscribe(name, listener)
})

describe('diagnostics_channel events', () => {
  it('tell a call retried twice and redirected once, in order, on one call object', async () => {
    const events = record()
    const { fetch } = scriptedFetch(
      () => new Response(null, { status: 301, headers: { location: '/next' } }),
      status(503),
      status(503),
      status(200),
    )
    const result = await createClient({
      fetch,
      retry: { backoff: { initial: 1, max: 1, jitter: 'none' }, budget: false },
    }).get('http://diag.test/start')
    expect(result.kind).toBe('success')
    expect(events.map((event) => event.name.replace('fetchkind:', ''))).toEqual([
      'call:start',
      'attempt:start',
      'attempt:end',
      'cache',
      'redirect',
      'attempt:start',
      'attempt:end',
      'attempt:start',
      'attempt:end',
      'attempt:start',
      'attempt:end',
      'cache',
      'call:end',
    ])
    const call = events[0]?.message.call
    expect(events.every((event) => event.message.call === call)).toBe(true)
    const ends = events
      .filter((event) => event.name === 'fetchkind:attempt:end')
      .map((event) => event.message)
    expect(ends.map((end) => [end.resendCount, end.status])).toEqual([
      [0, 301],
      [1, 503],
      [2, 503],
      [3, 200],
    ])
    expect(events.at(-1)?.message.result).toBe(result)
  })

  it('let a subscriber add headers to the attempt it starts', async () => {
    const { fetch, requests } = scriptedFetch(status(200))
    const inject = (message: unknown) =>
      (message as { headers: Headers }).headers.set('traceparent', '00-abc-def-01')
    subscribe('fetchkind:attempt:start', inject)
    listeners.push(['fetchkind:attempt:start', inject])
    const client = createClient({ fetch, headers: { 'x-default': '1' } })
    await client.get('http://diag.test/')
    unsubscribe('fetchkind:attempt:start', inject)
    listeners.pop()
    await client.get('http://diag.test/')
    expect(requests.map((request) => request.headers.get('traceparent'))).toEqual(['00-abc-def-01', null])
    expect(requests[1]?.headers.get('x-default')).toBe('1')
  })

  it('report network failures with their code', async () => {
    const events = record()
    const { fetch } = scriptedFetch(
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
    )
    await createClient({ fetch }).get('http://diag.test/')
    expect(events.find((event) => event.name === 'fetchkind:attempt:end')?.message).toMatchObject({
      status: null,
      error: 'ENOTFOUND',
    })
  })
})

describe('the fetchkind:retry channel', () => {
  it('tells each decision after a failure: the retries with their waits, then the stop and why', async () => {
    const decisions: unknown[] = []
    const listener = (message: unknown) => {
      const { call, url, ...rest } = message as Record<string, unknown>
      decisions.push(rest)
    }
    subscribe('fetchkind:retry', listener)
    listeners.push(['fetchkind:retry', listener])
    const { fetch } = scriptedFetch(status(503), status(503), status(503))
    await createClient({
      fetch,
      retry: { limit: 2, backoff: { initial: 1, max: 1, jitter: 'none' }, budget: false },
    }).get('https://api.test/')
    expect(decisions).toEqual([
      { attempt: 1, status: 503, error: null, retry: true, delay: 1, delayReason: 'backoff', stop: null },
      { attempt: 2, status: 503, error: null, retry: true, delay: 1, delayReason: 'backoff', stop: null },
      { attempt: 3, status: 503, error: null, retry: false, delay: 0, delayReason: null, stop: 'limit' },
    ])
  })
})

describe('the fetchkind:call tracing channel', () => {
  it('runs the call within a store bound to its start, and ends with the result', async () => {
    const channel = tracingChannel<unknown, CallTracingContext>('fetchkind:call')
    const store = new AsyncLocalStorage<string>()
    channel.start.bindStore(store, (context) => `call to ${context.call.url.hostname}`)
    const ended: string[] = []
    const nothing = () => {}
    const handlers = {
      start: nothing,
      end: nothing,
      asyncStart: nothing,
      error: nothing,
      asyncEnd: (context: CallTracingContext) => {
        ended.push(context.result?.kind ?? 'none')
      },
    }
    channel.subscribe(handlers)
    let seenByTransport: string | undefined
    try {
      const transport: Transport = async () => {
        seenByTransport = store.getStore()
        return { status: 200, statusText: 'OK', headers: new Headers(), body: null }
      }
      await createClient({ transport, retry: false }).get('https://traced.test/')
    } finally {
      channel.unsubscribe(handlers)
      channel.start.unbindStore(store)
    }
    expect(seenByTransport).toBe('call to traced.test')
    expect(ended).toEqual(['success'])
  })
})
