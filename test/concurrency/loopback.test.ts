/**
 * The adaptive concurrency limit on the undici transport, against a real loopback server that
 * serves one request at a time (a queue with a fixed service rate) and counts what it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '../../src/index.ts'
import { type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

describe('adaptive concurrency on the undici transport (loopback)', () => {
  let origin: LoopbackOrigin
  let holding = 0
  let busiest = 0
  let free = 0

  beforeAll(async () => {
    origin = await startOrigin({
      '/queue': (_request, response) => {
        holding += 1
        busiest = Math.max(busiest, holding)
        // One request served every 2 ms, in the order they came.
        const now = performance.now()
        free = Math.max(now, free) + 2
        setTimeout(() => {
          holding -= 1
          response.writeHead(200, { 'content-type': 'text/plain' }).end('served')
        }, free - now)
      },
    })
  })
  afterAll(() => origin.stop())

  /** 120 calls at once; what the server held at most, and how the calls ended. */
  async function burst(options: Parameters<typeof createClient>[0]): Promise<Record<string, number>> {
    busiest = 0
    const client = createClient({ baseUrl: origin.url, retry: false, cache: false, ...options })
    const results = await Promise.all(Array.from({ length: 120 }, () => client.get('queue')))
    const kinds: Record<string, number> = {}
    for (const result of results) {
      const kind = result.kind === 'refused' ? `refused ${result.reason}` : result.kind
      kinds[kind] = (kinds[kind] ?? 0) + 1
    }
    return kinds
  }

  it('never lets the server hold more than its limit; the rest wait their turn or are refused', async () => {
    expect(await burst({})).toEqual({ success: 120 })
    const unbounded = busiest
    expect(unbounded).toBeGreaterThan(16)

    const kinds = await burst({ adaptiveConcurrency: { maxConcurrent: 16 } })
    expect(busiest).toBeLessThanOrEqual(16)
    // A new key probes at half its limit (8), with a queue as deep as the limit (16).
    expect(kinds).toEqual({ success: 24, 'refused concurrency-limited': 96 })
  })

  it('queues every call given room to, and answers them all', async () => {
    const kinds = await burst({ adaptiveConcurrency: { maxConcurrent: 16, maxQueued: 200 } })
    expect(busiest).toBeLessThanOrEqual(16)
    expect(kinds).toEqual({ success: 120 })
  })
})
