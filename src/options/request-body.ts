/**
 * A call's request body from its options: `json` serialised, an async iterable made a web stream,
 * a function kept to be called for each attempt that sends it.
 */

import { optionError } from '../ground/validate.ts'
import type { BodyInit } from '../http/fetch-types.ts'
import type { BodyMaker } from '../transport/types.ts'
import type { BodySource, RequestOptions } from './types.ts'

/** The body `init` asks for; sets the JSON Content-Type on `headers` when it serialises `json`. */
export function requestBody(
  init: RequestOptions,
  method: string,
  headers: Headers,
  stringifyJson: (value: unknown) => string,
): BodyInit | BodyMaker | null {
  const hasJson = init.json !== undefined
  const hasBody = init.body !== undefined && init.body !== null
  if (hasJson && hasBody) throw new TypeError('fetchkind: options "json" and "body" cannot both be set')
  if ((hasJson || hasBody) && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(
      `fetchkind: a ${method} request cannot have a body (option "${hasJson ? 'json' : 'body'}")`,
    )
  }
  if (typeof init.body === 'function') return bodyMaker(init.body)
  if (!hasJson) return streamable(init.body ?? null)
  let text: string | undefined
  try {
    text = stringifyJson(init.json)
  } catch (error) {
    throw new TypeError(`fetchkind: option "json" cannot be serialised: ${(error as Error).message}`)
  }
  if (typeof text !== 'string') throw optionError('json', 'a JSON-serialisable value', init.json)
  if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  return text
}

/** The caller's function, its body made something a transport sends; checked as each attempt calls it. */
function bodyMaker(make: () => BodySource | Promise<BodySource>): BodyMaker {
  return async () => {
    const body = await make()
    if (body === null || body === undefined || typeof body === 'function') {
      throw optionError('body', 'a function that returns a body', body)
    }
    return streamable(body) as BodyInit
  }
}

/** A body fetch takes as it is; an async iterable (a Node Readable, a generator) as a web stream of bytes. */
function streamable(body: BodySource | null): BodyInit | null {
  if (!isAsyncIterable(body) || body instanceof ReadableStream) return body as BodyInit | null
  const encoder = new TextEncoder()
  const chunks = body[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next()
      if (done) controller.close()
      else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value)
    },
    async cancel(reason) {
      await chunks.return?.(reason)
    },
  })
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function'
}
