/**
 * The option types as a strict caller meets them (issue 38): `exactOptionalPropertyTypes` on, as
 * this project has it, and hooks written as expressions.
 */
import { describe, expectTypeOf, it } from 'vitest'
import type { ConcurrencyNote } from '../../src/diagnostics.ts'
import { createClient, type RequestOptions } from '../../src/index.ts'

declare const config: { timeout?: number; retries?: number; baseUrl?: string }

describe('optional options', () => {
  it('take undefined where the runtime does: a value from config that may be missing', () => {
    createClient({ baseUrl: config.baseUrl, timeout: config.timeout, retry: config.retries })
    createClient({
      retry: { limit: config.retries, backoff: { initial: undefined } },
      cache: { maxSize: undefined },
    })
    const options: RequestOptions = { timeout: config.timeout, headers: undefined, searchParams: undefined }
    expectTypeOf(options).toExtend<RequestOptions>()
  })
})

describe('hooks', () => {
  it('may be expressions whose value is not wanted', () => {
    createClient({
      hooks: {
        beforeRequest: (request) => request.headers.set('x-id', '1'),
        afterResult: (result) => console.log(result.kind),
        beforeRetry: (notice) => console.log(notice.attempt),
      },
    })
  })

  it('still may not return what is not an answer', () => {
    const seen: unknown[] = []
    // @ts-expect-error a number is no Result
    createClient({ hooks: { beforeRequest: (request) => seen.push(request) } })
    // @ts-expect-error a string is no RequestOptions
    createClient({ hooks: { afterResult: () => 'again' } })
  })
})

describe('adaptiveConcurrency', () => {
  it('takes true, false or its bounds, a client option only; meta says the limit', async () => {
    createClient({ adaptiveConcurrency: true })
    createClient({
      adaptiveConcurrency: { maxConcurrent: 64, maxQueued: undefined, key: (request) => request.url.host },
    })
    // @ts-expect-error a limit is a number
    createClient({ adaptiveConcurrency: { maxConcurrent: '64' } })
    // @ts-expect-error a request cannot change its client's limit
    const request: RequestOptions = { adaptiveConcurrency: false }
    expectTypeOf(request).toExtend<RequestOptions>()
    const result = await createClient({ adaptiveConcurrency: true }).get('https://api.test/')
    expectTypeOf(result.meta.concurrency).toEqualTypeOf<ConcurrencyNote | null>()
    if (result.kind === 'refused') expectTypeOf<'concurrency-limited'>().toExtend<typeof result.reason>()
  })
})
