/**
 * openai and @anthropic-ai/sdk through `toFetch()`, against a loopback fake of each API. Both
 * SDKs retry on their own (two retries, counted to the server in `x-stainless-retry-count`), so
 * the recipe keeps the client's retry off, as a default `toFetch()` has it: each SDK then sends
 * exactly what it sends with global fetch, and its streams arrive event by event.
 */
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/index.ts'
import { type LoopbackOrigin, type Route, startOrigin } from '../../support/loopback-origin.ts'
import { TRANSPORTS } from '../../support/transports.ts'
import { Received } from './counting.ts'

const received = new Received()
let origin: LoopbackOrigin
/** Lets a stream's second half go: the fake holds it until the client has seen the first. */
let release: () => void = () => {}

/** Down for good, asking for a 1 ms wait (anthropic takes 0 as no answer): every retry comes at once. */
const down: Route = (request, response) => {
  received.add(request.headers)
  request.resume()
  response.writeHead(503, {
    'content-type': 'application/json',
    'retry-after': '0',
    'retry-after-ms': '1',
  })
  response.end('{"type":"error","error":{"type":"overloaded_error","message":"down"}}')
}

/** An SSE stream whose first event is written at once and the rest only on `release()`. */
function heldStream(first: string, rest: string): Route {
  return (request, response) => {
    received.add(request.headers)
    request.resume()
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    response.write(first)
    new Promise<void>((resolve) => {
      release = resolve
    }).then(() => response.end(rest))
  }
}

const openaiChunk = (content: string) =>
  `data: ${JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  })}\n\n`

const anthropicEvent = (type: string, data: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`

const textDelta = (text: string) =>
  anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })

beforeAll(async () => {
  origin = await startOrigin({
    '/down/v1/chat/completions': down,
    '/down/v1/messages': down,
    '/down/v1/models': down,
    '/v1/chat/completions': heldStream(openaiChunk('Hel'), `${openaiChunk('lo')}data: [DONE]\n\n`),
    '/v1/messages': heldStream(
      anthropicEvent('message_start', {
        message: {
          id: 'msg',
          type: 'message',
          role: 'assistant',
          model: 'm',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 1, output_tokens: 0 },
        },
      }) +
        anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
        textDelta('Hel'),
      textDelta('lo') +
        anthropicEvent('content_block_stop', { index: 0 }) +
        anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }) +
        anthropicEvent('message_stop', {}),
    ),
  })
})

afterAll(() => origin.stop())

const messages = [{ role: 'user' as const, content: 'hi' }]

const openai = (fetch: typeof globalThis.fetch, path = '') =>
  new OpenAI({ apiKey: 'test', baseURL: `${origin.url}${path}/v1`, fetch })

const anthropic = (fetch: typeof globalThis.fetch, path = '') =>
  new Anthropic({ apiKey: 'test', baseURL: `${origin.url}${path}`, fetch })

/** Each SDK's calls to an API that is down, a GET and a POST of each. */
const CALLS = [
  ['openai GET', (fetch: typeof globalThis.fetch) => () => openai(fetch, '/down').models.list()],
  [
    'openai POST',
    (fetch: typeof globalThis.fetch) => () =>
      openai(fetch, '/down').chat.completions.create({ model: 'm', messages }),
  ],
  ['anthropic GET', (fetch: typeof globalThis.fetch) => () => anthropic(fetch, '/down').models.list()],
  [
    'anthropic POST',
    (fetch: typeof globalThis.fetch) => () =>
      anthropic(fetch, '/down').messages.create({ model: 'm', max_tokens: 8, messages }),
  ],
] as const

describe.each(TRANSPORTS)('openai and anthropic on the $name transport', ({ make }) => {
  const toFetch = () => createClient({ transport: make() }).toFetch()

  it.each(CALLS)(
    '%s retries a 503 as it does on global fetch, counting its own attempts',
    async (_, call) => {
      const global = await received.during(call(globalThis.fetch))
      const globalCounts = received.header('x-stainless-retry-count')
      expect([global, globalCounts]).toEqual([3, ['0', '1', '2']])

      expect(await received.during(call(toFetch()))).toBe(global)
      expect(received.header('x-stainless-retry-count')).toEqual(globalCounts)
    },
  )

  it("openai's stream arrives chunk by chunk", async () => {
    const stream = await openai(toFetch()).chat.completions.create({ model: 'm', messages, stream: true })
    const text: string[] = []
    for await (const chunk of stream) {
      text.push(chunk.choices[0]?.delta.content ?? '')
      // The rest is written only once this first chunk is here: a buffered body never ends.
      release()
    }
    expect(text.join('')).toBe('Hello')
  })

  it("anthropic's stream arrives event by event", async () => {
    const stream = await anthropic(toFetch()).messages.create({
      model: 'm',
      max_tokens: 8,
      messages,
      stream: true,
    })
    const text: string[] = []
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        text.push(event.delta.text)
        release()
      }
    }
    expect(text.join('')).toBe('Hello')
  })
})
