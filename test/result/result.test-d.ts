import { describe, expectTypeOf, it } from 'vitest'
import type { RedirectReason } from '../../src/diagnostics.ts'
import type { ProblemDetails } from '../../src/http/problem.ts'
import type { RetryAfter } from '../../src/http/retry-after.ts'
import {
  type Client,
  type ClientOptions,
  createClient,
  deadlineLeft,
  type FailureKind,
  type HttpError,
  isKind,
  isSuccess,
  match,
  type RequestOptions,
  type Result,
  request,
  type Success,
  unwrap,
  unwrapOr,
  withDeadline,
} from '../../src/index.ts'
import type { Progress } from '../../src/options/types.ts'
import type { StandardIssue } from '../../src/result/schema.ts'
import type { ClientErrorStatus, ServerErrorStatus, SuccessStatus } from '../../src/result/status.ts'
import { results } from '../../src/testing.ts'

declare const result: Result<{ id: number }>

describe('the union narrows on kind', () => {
  it('success has data of the requested type and a 2xx status', () => {
    if (result.kind === 'success') {
      expectTypeOf(result.data).toEqualTypeOf<{ id: number }>()
      expectTypeOf(result.status).toEqualTypeOf<SuccessStatus>()
      expectTypeOf(result.location).toEqualTypeOf<URL | null>()
      expectTypeOf<200 | 201 | 204 | 299>().toExtend<typeof result.status>()
      // @ts-expect-error a success is never a 404
      if (result.status === 404) return
    }
  })

  it('client-error has a 4xx status, the problem and Retry-After', () => {
    if (result.kind === 'client-error') {
      expectTypeOf(result.status).toEqualTypeOf<ClientErrorStatus>()
      expectTypeOf(result.problem).toEqualTypeOf<ProblemDetails | null>()
      expectTypeOf(result.retryAfter).toEqualTypeOf<RetryAfter | null>()
      expectTypeOf(result.data).toBeUnknown()
      // @ts-expect-error a client error is never a 503
      if (result.status === 503) return
      // An unregistered code in range still narrows: nginx's 499.
      if (result.status === 499) return
    }
  })

  it('each kind has only its own fields', () => {
    if (result.kind === 'redirect') {
      expectTypeOf(result.reason).toEqualTypeOf<RedirectReason>()
      expectTypeOf(result.location).toEqualTypeOf<URL | null>()
    }
    if (result.kind === 'not-modified') expectTypeOf(result.status).toEqualTypeOf<304>()
    if (result.kind === 'timeout') expectTypeOf(result.phase).toEqualTypeOf<'attempt' | 'total' | 'signal'>()
    if (result.kind === 'timeout' && result.phase !== 'signal')
      expectTypeOf(result.limit).toEqualTypeOf<number>()
    if (result.kind === 'timeout' && result.phase === 'signal')
      expectTypeOf(result.limit).toEqualTypeOf<null>()
    if (result.kind === 'network-error') expectTypeOf(result.code).toExtend<string>()
    if (result.kind === 'invalid-response') expectTypeOf(result.status).toEqualTypeOf<number | null>()
    // @ts-expect-error only responses have a status
    if (result.kind === 'aborted') result.status
    // @ts-expect-error data exists on success only once narrowed
    result.data
  })

  it('a switch on kind is exhaustive', () => {
    const name = (r: Result): string => {
      switch (r.kind) {
        case 'success':
        case 'redirect':
        case 'not-modified':
        case 'client-error':
        case 'server-error':
        case 'informational':
          return String(r.status)
        case 'network-error':
          return r.code
        case 'timeout':
          return r.phase
        case 'aborted':
          return 'aborted'
        case 'invalid-response':
          return r.reason
        case 'hook-error':
          return r.hook
        case 'refused':
          return r.reason
        default: {
          const unreachable: never = r
          return unreachable
        }
      }
    }
    expectTypeOf(name).returns.toBeString()
  })
})

describe('match', () => {
  it('narrows an exact-status handler to that status', () => {
    match(result, {
      404: (r) => {
        expectTypeOf(r.kind).toEqualTypeOf<'client-error'>()
        expectTypeOf(r.status).toEqualTypeOf<404>()
      },
      201: (r) => {
        expectTypeOf(r.data).toEqualTypeOf<{ id: number }>()
        expectTypeOf(r.status).toEqualTypeOf<201>()
      },
      304: (r) => expectTypeOf(r.kind).toEqualTypeOf<'not-modified'>(),
      '3xx': (r) => expectTypeOf(r.kind).toEqualTypeOf<'redirect' | 'not-modified'>(),
      _: (r) => expectTypeOf(r).toEqualTypeOf<Result<{ id: number }>>(),
    })
  })

  it('returns the union of the handlers’ returns', () => {
    const value = match(result, { success: (r) => r.data.id, _: () => 'none' as const })
    expectTypeOf(value).toEqualTypeOf<number | 'none'>()
  })

  it('accepts a full cover by kinds and classes without a fallback', () => {
    match(result, {
      refused: () => 0,
      '1xx': () => 0,
      '2xx': () => 0,
      '3xx': () => 0,
      '4xx': () => 0,
      '5xx': () => 0,
      'network-error': () => 0,
      timeout: () => 0,
      aborted: () => 0,
      'invalid-response': () => 0,
      'hook-error': () => 0,
    })
  })

  it('rejects a missing case without a fallback', () => {
    match(
      result,
      // @ts-expect-error timeout, aborted, invalid-response and hook-error are not handled
      {
        success: () => 0,
        redirect: () => 0,
        'not-modified': () => 0,
        '4xx': () => 0,
        '5xx': () => 0,
        informational: () => 0,
        'network-error': () => 0,
      },
    )
    // @ts-expect-error an exact status does not cover its whole kind
    match(result, { success: () => 0, 404: () => 0 })
  })
})

describe('unwrap', () => {
  it("returns the success's data, as unwrapOr does", () => {
    expectTypeOf(unwrap(result)).toEqualTypeOf<{ id: number }>()
    expectTypeOf(unwrapOr(result, null)).toEqualTypeOf<{ id: number } | null>()
    expectTypeOf<HttpError['result']['kind']>().toEqualTypeOf<Exclude<Result['kind'], 'success'>>()
  })
})

describe('the client types data from the type argument and responseType', () => {
  const client = createClient()
  it('takes T for JSON', async () => {
    const r = await client.get<{ name: string }>('http://x.test')
    if (r.kind === 'success') expectTypeOf(r.data).toEqualTypeOf<{ name: string }>()
  })
  it('follows responseType', async () => {
    const text = await client.get('http://x.test', { responseType: 'text' })
    if (text.kind === 'success') expectTypeOf(text.data).toBeString()
    const bytes = await client.post('http://x.test', { responseType: 'bytes' })
    if (bytes.kind === 'success') expectTypeOf(bytes.data).toEqualTypeOf<Uint8Array>()
    const stream = await client.request('http://x.test', { responseType: 'stream' })
    if (stream.kind === 'success')
      expectTypeOf(stream.data).toEqualTypeOf<ReadableStream<Uint8Array> | null>()
    const none = await client.head('http://x.test')
    if (none.kind === 'success') expectTypeOf(none.data).toBeUndefined()
  })
  it('refuses a body on GET at compile time', () => {
    // @ts-expect-error GET takes no json
    client.get('http://x.test', { json: {} })
  })
  it('takes T with a JSON responseType, and with options of the general type', async () => {
    const json = await client.get<{ name: string }>('http://x.test', { responseType: 'json', retry: 1 })
    if (json.kind === 'success') expectTypeOf(json.data).toEqualTypeOf<{ name: string }>()
    // Options made apart, as they are: written with `satisfies`, their type still says JSON.
    const options = { headers: { a: 'b' }, retry: 1 } satisfies RequestOptions
    const apart = await client.request<{ name: string }>('http://x.test', options)
    if (apart.kind === 'success') expectTypeOf(apart.data).toEqualTypeOf<{ name: string }>()
    // Typed as the whole RequestOptions, they may say 'text': data is unknown, and T is refused.
    const general: RequestOptions = {}
    const unknownData = await client.request('http://x.test', general)
    if (unknownData.kind === 'success') expectTypeOf(unknownData.data).toBeUnknown()
  })
  it('does not let a type argument contradict responseType (issue 38: it was typed T, and was a string)', () => {
    // @ts-expect-error the body of responseType 'text' is a string, not a User
    client.get<{ name: string }>('http://x.test', { responseType: 'text' })
    // @ts-expect-error bytes are no User either
    client.post<{ name: string }>('http://x.test', { responseType: 'bytes' })
    // @ts-expect-error nor is a stream
    request<{ name: string }>('http://x.test', { responseType: 'stream' })
  })
})

describe('a schema types data', () => {
  const client = createClient()
  it('as the schema output', async () => {
    const { z } = await import('zod')
    const v = await import('valibot')
    const fromZod = await client.get('http://x.test', {
      schema: z.object({ id: z.number(), at: z.string().transform((text) => new Date(text)) }),
    })
    if (fromZod.kind === 'success') expectTypeOf(fromZod.data).toEqualTypeOf<{ id: number; at: Date }>()
    const fromValibot = await client.post('http://x.test', { schema: v.object({ name: v.string() }) })
    if (fromValibot.kind === 'success') expectTypeOf(fromValibot.data).toEqualTypeOf<{ name: string }>()
    if (fromValibot.kind === 'invalid-response')
      expectTypeOf(fromValibot.issues).toEqualTypeOf<readonly StandardIssue[] | null>()
  })
  it('and a type argument cannot say otherwise', async () => {
    const { z } = await import('zod')
    // @ts-expect-error the schema says what data is
    client.get<{ name: string }>('http://x.test', { schema: z.object({ id: z.number() }) })
  })
  it('types the pages of paginate (issue 38: they were unknown)', async () => {
    const { z } = await import('zod')
    for await (const page of client.paginate('http://x.test', {
      schema: z.array(z.object({ id: z.number() })),
    })) {
      if (page.kind === 'success') expectTypeOf(page.data).toEqualTypeOf<{ id: number }[]>()
    }
    for await (const page of client.paginate<{ id: number }[]>('http://x.test')) {
      if (page.kind === 'success') expectTypeOf(page.data).toEqualTypeOf<{ id: number }[]>()
    }
  })
})

describe("ky's and got's shorthands", () => {
  it('take a number for retry and timeout, on the client and each request', () => {
    const client = createClient({ retry: 3, timeout: 5_000 })
    expectTypeOf(client.get).toBeCallableWith('https://x.test/', { retry: 0, timeout: 1_000 })
    // @ts-expect-error a string is no shorthand
    createClient({ retry: '3' })
  })
})

describe('ok, the guards and unwrapOr', () => {
  it('ok narrows as kind does', () => {
    if (result.ok) expectTypeOf(result.data).toEqualTypeOf<{ id: number }>()
    else expectTypeOf(result.kind).toEqualTypeOf<Exclude<Result['kind'], 'success'>>()
  })

  it('the guards type what .filter() keeps', () => {
    const results: Result<{ id: number }>[] = []
    expectTypeOf(results.filter(isSuccess)).toEqualTypeOf<Success<{ id: number }>[]>()
    const failed = results.filter(isKind('client-error', 'server-error'))
    expectTypeOf(failed[0]?.status).toEqualTypeOf<ClientErrorStatus | ServerErrorStatus | undefined>()
    // @ts-expect-error no such kind
    isKind('failure')
  })

  it('unwrapOr is the data or the fallback', () => {
    expectTypeOf(unwrapOr(result, null)).toEqualTypeOf<{ id: number } | null>()
  })
})

describe('bodies and progress', () => {
  it('a body may be a function, sync or async, of anything a body may be', () => {
    const client = createClient()
    expectTypeOf(client.post).toBeCallableWith('https://x.test/', { body: () => 'text' })
    expectTypeOf(client.post).toBeCallableWith('https://x.test/', {
      body: async () => new Uint8Array(1),
    })
    // @ts-expect-error a function must give a body
    client.post('https://x.test/', { body: () => 42 })
  })

  it('progress listeners are told transferred, total, percent and done', () => {
    createClient({
      onDownloadProgress: (progress) => {
        expectTypeOf(progress).toEqualTypeOf<Progress>()
        expectTypeOf(progress.total).toEqualTypeOf<number | undefined>()
        expectTypeOf(progress.done).toEqualTypeOf<boolean>()
      },
    })
  })
})

describe('fetchkind/testing', () => {
  it("each builder gives its kind's type, success typed by its data", () => {
    expectTypeOf(results.success({ id: 1 })).toEqualTypeOf<Success<{ id: number }>>()
    expectTypeOf(results.clientError(404).status).toEqualTypeOf<ClientErrorStatus>()
    // @ts-expect-error a client error is never a 503
    results.clientError(503)
    const handled: Result<{ id: number }>[] = [
      results.success({ id: 1 }),
      results.timeout(),
      results.networkError(),
    ]
    expectTypeOf(handled).toEqualTypeOf<Result<{ id: number }>[]>()
  })
})

describe('refused', () => {
  it('narrows to its reason and retryAfter, and is no status result', () => {
    if (result.kind === 'refused') {
      expectTypeOf(result.reason).toEqualTypeOf<
        'circuit-open' | 'rate-limited' | 'bulkhead-full' | 'concurrency-limited'
      >()
      expectTypeOf(result.retryAfter).toEqualTypeOf<RetryAfter | null>()
      // @ts-expect-error nothing was sent: no status
      result.status
    }
  })

  it('the resilience options are client options, each a boolean or its object', () => {
    createClient({ circuitBreaker: true, bulkhead: { maxConcurrent: 10 }, rateLimit: { limit: 5 } })
    // @ts-expect-error a limit is a number
    createClient({ rateLimit: { limit: '5' } })
  })
})

describe('a client with throwOn (issue 38: its results still listed the kinds it throws)', () => {
  it('returns results without the kinds that reject instead', async () => {
    const strict = createClient({ throwOn: ['client-error', 'server-error'] })
    const result = await strict.get<{ id: number }>('http://x.test')
    expectTypeOf(result.kind).toEqualTypeOf<Exclude<Result['kind'], 'client-error' | 'server-error'>>()
    const posted = await strict.post('http://x.test', { responseType: 'text' })
    expectTypeOf(posted.kind).toEqualTypeOf<Exclude<Result['kind'], 'client-error' | 'server-error'>>()
  })

  it("follows extend's list and a request's, which replace the client's", async () => {
    const strict = createClient({ throwOn: ['client-error'] })
    const laxer = strict.extend({ throwOn: ['timeout'] })
    expectTypeOf((await laxer.get('http://x.test')).kind).toEqualTypeOf<Exclude<Result['kind'], 'timeout'>>()
    const kept = strict.extend({ headers: { a: 'b' } })
    expectTypeOf((await kept.get('http://x.test')).kind).toEqualTypeOf<
      Exclude<Result['kind'], 'client-error'>
    >()
    const own = await strict.get('http://x.test', { throwOn: ['network-error'] })
    expectTypeOf(own.kind).toEqualTypeOf<Exclude<Result['kind'], 'network-error'>>()
    const typed = await strict.get<{ id: number }>('http://x.test', { throwOn: [] })
    expectTypeOf(typed.kind).toEqualTypeOf<Result['kind']>()
  })

  it('leaves a client without throwOn every kind', async () => {
    expectTypeOf((await createClient().get('http://x.test')).kind).toEqualTypeOf<Result['kind']>()
    expectTypeOf((await request('http://x.test')).kind).toEqualTypeOf<Result['kind']>()
  })
})

describe('throwOn from a variable', () => {
  it('names no kind: the list may be empty, and what it holds returns', async () => {
    const kinds: FailureKind[] = []
    const client = createClient({ throwOn: kinds })
    expectTypeOf((await client.get('http://x.test')).kind).toEqualTypeOf<Result['kind']>()
    const strict = createClient({ throwOn: ['client-error'] })
    expectTypeOf((await strict.head('http://x.test')).kind).toEqualTypeOf<
      Exclude<Result['kind'], 'client-error'>
    >()
    const options: RequestOptions = {}
    expectTypeOf((await strict.get('http://x.test', options)).kind).toEqualTypeOf<Result['kind']>()
    expectTypeOf(strict.extend(options as ClientOptions)).toEqualTypeOf<Client>()
  })

  it('ReturnType of createClient is the plain client', () => {
    expectTypeOf<ReturnType<typeof createClient>>().toEqualTypeOf<Client>()
  })
})

describe('a timeout, inherited or not', () => {
  it('says whether it was inherited, whatever its phase, and a deadline scope returns what it runs', async () => {
    const result = await withDeadline(200, () => createClient().get('http://x.test'))
    if (result.kind === 'timeout') expectTypeOf(result.inherited).toEqualTypeOf<boolean>()
    if (result.kind === 'timeout' && result.phase === 'signal')
      expectTypeOf(result.inherited).toEqualTypeOf<false>()
    expectTypeOf(withDeadline(10, () => 1)).toEqualTypeOf<number>()
    expectTypeOf(deadlineLeft()).toEqualTypeOf<number | null>()
  })

  it('takes the deadline option on a client and a request, and nothing else in it', () => {
    createClient({ deadline: { inherit: false, header: 'grpc-timeout' } })
    createClient().get('http://x.test', { deadline: { header: false } })
    // @ts-expect-error: inherit is a boolean
    createClient({ deadline: { inherit: 'no' } })
    // @ts-expect-error: no such field
    createClient({ deadline: { timeout: 5 } })
  })
})
