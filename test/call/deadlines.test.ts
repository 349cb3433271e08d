import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../../src/index.ts'
import type { FetchFunction } from '../../src/transport.ts'
import { hangingFetch } from '../support/fake-fetch.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** A fetch whose response head arrives at once but whose body never ends. */
const endlessBodyFetch: FetchFunction = async (_input, init) => {
  const signal = init.signal as AbortSignal
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"partial":'))
      signal.addEventListener('abort', () => controller.error(signal.reason), { once: true })
    },
  })
  return new Response(body, { headers: { 'content-type': 'application/json' } })
}

describe('timeouts', () => {
  it('an attempt that gets no answer ends as timeout, phase attempt', async () => {
    const client = createClient({
      fetch: hangingFetch,
      timeout: { attempt: 1000, total: 5000 },
      retry: false,
    })
    const pending = client.get('http://slow.test/')
    await vi.advanceTimersByTimeAsync(1000)
    const result = await pending
    expect(result).toMatchObject({ kind: 'timeout', phase: 'attempt', limit: 1000 })
    expect(result.meta.attempts).toEqual([expect.objectContaining({ error: 'timeout', status: null })])
  })

  it('a call in flight holds one timer for its total deadline and its attempt, and none once over', async () => {
    const client = createClient({
      fetch: hangingFetch,
      timeout: { attempt: 1000, total: 5000 },
      retry: false,
    })
    const pending = client.get('http://slow.test/')
    await vi.advanceTimersByTimeAsync(10)
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(990)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'attempt' })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('an attempt begun after the call began still has its whole limit', async () => {
    const client = createClient({
      fetch: hangingFetch,
      timeout: { attempt: 1000, total: 5000 },
      retry: false,
      // The attempt starts 600 ms into the call.
      hooks: { beforeRequest: [() => new Promise<undefined>((resolve) => setTimeout(resolve, 600))] },
    })
    let settled = false
    const pending = client.get('http://slow.test/').finally(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(1000)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(600)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'attempt', limit: 1000 })
  })

  it('sets no timer until something waits on one, and a total deadline passed meanwhile ends the call unsent', async () => {
    let sent = 0
    const client = createClient({
      fetch: async () => {
        sent += 1
        return Response.json({})
      },
      timeout: { attempt: 1000, total: 500 },
      retry: false,
      hooks: { beforeRequest: [() => new Promise<undefined>((resolve) => setTimeout(resolve, 600))] },
    })
    const pending = client.get('http://slow.test/')
    await vi.advanceTimersByTimeAsync(10)
    // The hook's own timer only: the call's deadline watches nothing yet.
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(600)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'total', limit: 500 })
    expect(sent).toBe(0)
  })

  it("a signal that fires with a TimeoutError ends the call as the caller's timeout; any other as aborted", async () => {
    const client = createClient({ fetch: hangingFetch, retry: false })
    const reason = new DOMException('The operation timed out.', 'TimeoutError')
    expect(await client.get('http://slow.test/', { signal: AbortSignal.abort(reason) })).toMatchObject({
      kind: 'timeout',
      phase: 'signal',
      limit: null,
      reason,
    })
    const controller = new AbortController()
    const pending = client.get('http://slow.test/', { signal: controller.signal })
    controller.abort(reason)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'signal', reason })
    const other = await client.get('http://slow.test/', { signal: AbortSignal.abort(new Error('no')) })
    expect(other).toMatchObject({ kind: 'aborted' })
  })

  it('the total deadline ends the call as timeout, phase total', async () => {
    const client = createClient({ fetch: hangingFetch, timeout: { attempt: 5000, total: 1000 } })
    const pending = client.get('http://slow.test/')
    await vi.advanceTimersByTimeAsync(1000)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'total', limit: 1000 })
  })

  it('a body that never ends is cut by the attempt deadline', async () => {
    const client = createClient({
      fetch: endlessBodyFetch,
      timeout: { attempt: 1000, total: false },
      retry: false,
    })
    const pending = client.get('http://slow.test/')
    await vi.advanceTimersByTimeAsync(1000)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'attempt' })
  })

  it('per-request timeouts override the client, one field at a time', async () => {
    const client = createClient({
      fetch: hangingFetch,
      timeout: { attempt: 5000, total: 9000 },
      retry: false,
    })
    const pending = client.get('http://slow.test/', { timeout: { attempt: 200 } })
    await vi.advanceTimersByTimeAsync(200)
    expect(await pending).toMatchObject({ kind: 'timeout', phase: 'attempt', limit: 200 })
  })

  it('timeout: false waits as long as the server takes', async () => {
    let answer: ((response: Response) => void) | undefined
    const lateFetch: FetchFunction = () => new Promise((resolve) => (answer = resolve))
    const pending = createClient({ fetch: lateFetch, timeout: false }).get('http://slow.test/')
    await vi.advanceTimersByTimeAsync(3_600_000)
    answer?.(Response.json({ late: true }))
    expect(await pending).toMatchObject({ kind: 'success', data: { late: true } })
  })

  it('a stream handed to the caller is not cut by the deadlines', async () => {
    const client = createClient({ fetch: endlessBodyFetch, timeout: { attempt: 1000, total: 2000 } })
    const result = await client.get('http://slow.test/', { responseType: 'stream' })
    if (result.kind !== 'success' || !result.data) throw new Error(result.kind)
    const reader = result.data.getReader()
    await reader.read()
    await vi.advanceTimersByTimeAsync(10_000)
    const next = reader.read()
    await reader.cancel()
    await expect(next).resolves.toEqual({ done: true, value: undefined })
  })

  it('leaves no timer behind once the call is over', async () => {
    const client = createClient({
      fetch: async () => Response.json({}),
      timeout: { attempt: 1000, total: 2000 },
    })
    await client.get('http://fast.test/')
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe("the caller's AbortSignal", () => {
  it('ends a pending call as aborted, with the reason', async () => {
    const controller = new AbortController()
    const pending = createClient({ fetch: hangingFetch }).get('http://slow.test/', {
      signal: controller.signal,
    })
    controller.abort('user left')
    expect(await pending).toMatchObject({ kind: 'aborted', reason: 'user left' })
  })

  it('an already-aborted signal sends nothing', async () => {
    const fetch = vi.fn(hangingFetch)
    const result = await createClient({ fetch }).get('http://slow.test/', {
      signal: AbortSignal.abort('early'),
    })
    expect(result).toMatchObject({ kind: 'aborted', reason: 'early' })
    expect(result.meta.attempts).toEqual([])
    expect(fetch).not.toHaveBeenCalled()
  })

  it('aborting while the body is read ends as aborted', async () => {
    const controller = new AbortController()
    const pending = createClient({ fetch: endlessBodyFetch }).get('http://slow.test/', {
      signal: controller.signal,
    })
    await vi.advanceTimersByTimeAsync(10)
    controller.abort('enough')
    expect(await pending).toMatchObject({ kind: 'aborted', reason: 'enough' })
  })

  it('still cancels a stream handed to the caller', async () => {
    const controller = new AbortController()
    const result = await createClient({ fetch: endlessBodyFetch }).get('http://slow.test/', {
      responseType: 'stream',
      signal: controller.signal,
    })
    if (result.kind !== 'success' || !result.data) throw new Error(result.kind)
    const reader = result.data.getReader()
    await reader.read()
    controller.abort('stop streaming')
    await expect(reader.read()).rejects.toBe('stop streaming')
  })

  it('is unlinked once the call is over', async () => {
    const controller = new AbortController()
    const remove = vi.spyOn(controller.signal, 'removeEventListener')
    await createClient({ fetch: async () => Response.json({}) }).get('http://fast.test/', {
      signal: controller.signal,
    })
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function))
  })
})
