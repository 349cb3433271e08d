/** A body given as a function: made anew for each attempt and each redirect that sends it. */
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { TRANSPORTS } from '../support/transports.ts'

let origin: LoopbackOrigin
let directory: string
let file: string
const received: string[] = []

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fetchkind-body-'))
  file = join(directory, 'upload.txt')
  await writeFile(file, 'file contents '.repeat(1000))
  origin = await startOrigin({
    '/flaky': (request, response) => {
      let body = ''
      request.setEncoding('utf8')
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        received.push(body)
        // The first of each pair is a 503, to be retried.
        const status = received.length % 2 === 1 ? 503 : 200
        response
          .writeHead(status, { 'retry-after': '0', 'content-type': 'text/plain' })
          .end(String(body.length))
      })
    },
    '/moved': (request, response) => {
      request.resume()
      request.on('end', () => response.writeHead(307, { location: '/flaky?after-redirect' }).end())
    },
  })
})

afterAll(async () => {
  await origin.stop()
  await rm(directory, { recursive: true })
})

const retrying = { limit: 1, methods: ['POST', 'PUT'], backoff: { initial: 0, max: 0 } }

describe.each(TRANSPORTS)('on the $name transport', ({ make }) => {
  const client = () => createClient({ baseUrl: origin.url, transport: make(), cache: false, retry: retrying })

  it('a file stream is opened again for the retry, and the server gets it whole both times', async () => {
    received.length = 0
    let made = 0
    const result = await client().put('/flaky', {
      body: () => {
        made += 1
        return createReadStream(file)
      },
    })
    expect(result).toMatchObject({ kind: 'success', data: '14000' })
    expect(made).toBe(2)
    expect(received).toEqual(['file contents '.repeat(1000), 'file contents '.repeat(1000)])
  })

  it('an async function, a web stream or a generator each time; a 307 replays it too', async () => {
    received.length = 1 // the next request is the second of a pair: answered 200.
    const result = await client().post('/moved', {
      body: async () =>
        Readable.from(
          (async function* () {
            yield 'one '
            yield new TextEncoder().encode('two')
          })(),
        ),
      redirect: { follow: 'same-origin' },
    })
    expect(result).toMatchObject({ kind: 'success', data: '7' })
    expect(result.meta.redirects).toHaveLength(1)
    expect(received.at(-1)).toBe('one two')
  })

  it('without a function, a stream is sent once: a retry cannot send it again', async () => {
    received.length = 0
    const result = await client().put('/flaky', { body: createReadStream(file) })
    expect(result).toMatchObject({
      kind: 'server-error',
      status: 503,
      meta: { retryStop: 'body-not-replayable' },
    })
  })

  it("what the function throws, or a promise it rejects with, ends the call as hook-error 'body'", async () => {
    const thrown = new Error('no such file')
    expect(
      await client().post('/flaky', {
        body: () => {
          throw thrown
        },
      }),
    ).toMatchObject({ kind: 'hook-error', hook: 'body', error: thrown, meta: { attempts: [] } })
    expect(await client().post('/flaky', { body: () => Promise.reject(thrown) })).toMatchObject({
      kind: 'hook-error',
      hook: 'body',
      error: thrown,
    })
  })

  it("a function that gives no body ends the call as hook-error 'body' with a TypeError", async () => {
    const result = await client().post('/flaky', { body: (() => undefined) as never })
    expect(result).toMatchObject({ kind: 'hook-error', hook: 'body' })
    if (result.kind === 'hook-error') expect(result.error).toBeInstanceOf(TypeError)
  })
})

describe('a body function', () => {
  it('is a TypeError at the call on a GET, as any body is', () => {
    expect(() => createClient().get('http://127.0.0.1:1/', { body: () => 'x' } as never)).toThrow(
      /GET request cannot have a body/,
    )
  })
})
