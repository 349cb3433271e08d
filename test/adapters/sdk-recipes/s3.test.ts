/**
 * @aws-sdk/client-s3 through `FetchHttpHandler({ customFetch: client.toFetch() })`, against a
 * loopback fake of S3. The SDK retries on its own (three attempts, a retry quota, counted in
 * `$metadata.attempts`), so the recipe keeps the client's retry off, as a default `toFetch()`
 * has it; and an object is the SDK's to stream, with no cap fetch would not have.
 */
import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { FetchHttpHandler } from '@smithy/fetch-http-handler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../../src/index.ts'
import { heapAfterGc } from '../../support/heap.ts'
import { type LoopbackOrigin, startOrigin } from '../../support/loopback-origin.ts'
import { TRANSPORTS } from '../../support/transports.ts'
import { Received } from './counting.ts'

const MIB = 1024 * 1024
/** Past the 64 MiB a buffered body may take by default. */
const LARGE = 70 * MIB

const received = new Received()
let origin: LoopbackOrigin

/** `size` bytes written a MiB at a time as the client takes them: the fake holds one MiB. */
async function writeLarge(response: ServerResponse, size: number): Promise<void> {
  const piece = Buffer.alloc(MIB, 0x61)
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
  for (let sent = 0; sent < size && !response.destroyed; sent += MIB) {
    if (!response.write(piece)) await Promise.race([once(response, 'drain'), once(response, 'close')])
  }
  response.end()
}

beforeAll(async () => {
  origin = await startOrigin({
    '/bucket/down': (request, response) => {
      received.add(request.headers)
      response.writeHead(503, { 'content-type': 'application/xml' })
      response.end('<Error><Code>ServiceUnavailable</Code><Message>down</Message></Error>')
    },
    '/bucket/large': (request, response) => {
      received.add(request.headers)
      void writeLarge(response, LARGE)
    },
  })
})

afterAll(() => origin.stop())

const s3 = (fetch: typeof globalThis.fetch) =>
  new S3Client({
    region: 'us-east-1',
    endpoint: origin.url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new FetchHttpHandler({ customFetch: fetch }),
  })

/** How many attempts the SDK counted for a GetObject that failed. */
async function attemptsCounted(fetch: typeof globalThis.fetch): Promise<number | undefined> {
  const error = await s3(fetch)
    .send(new GetObjectCommand({ Bucket: 'bucket', Key: 'down' }))
    .catch((error: { $metadata?: { attempts?: number } }) => error)
  return '$metadata' in error ? error.$metadata?.attempts : undefined
}

describe.each(TRANSPORTS)('S3 on the $name transport', ({ make }) => {
  const toFetch = () => createClient({ transport: make() }).toFetch()

  it('retries a 503 as it does on global fetch, and counts the attempts that were made', async () => {
    const global = await received.during(() => attemptsCounted(globalThis.fetch))
    expect(global).toBe(3)
    expect(await attemptsCounted(globalThis.fetch)).toBe(global)

    expect(await received.during(() => attemptsCounted(toFetch()))).toBe(global)
    expect(await attemptsCounted(toFetch())).toBe(global)
  })

  it('streams a 70 MiB object to the SDK, holding a few MiB of it at a time', {
    timeout: 30_000,
  }, async () => {
    const before = heapAfterGc()
    const { Body } = await s3(toFetch()).send(new GetObjectCommand({ Bucket: 'bucket', Key: 'large' }))
    let length = 0
    let held = 0
    for await (const chunk of Body as AsyncIterable<Uint8Array>) {
      length += chunk.byteLength
      // Half-way, what is still held: a body read whole first would be 35 MiB of it.
      if (held === 0 && length >= LARGE / 2) held = heapAfterGc() - before
    }
    expect(length).toBe(LARGE)
    expect(held).toBeLessThan(8 * MIB)
  })
})
