/**
 * `npm run bench:hedging`: "The Tail at Scale"'s case. An upstream answers 98 % of requests in
 * 5 ms and 2 % in 1 s; 10 000 calls (so that the 99.9th percentile is the tenth slowest), 16 at a time, once with hedging off and once with
 * `hedge: true` (copies after the origin's 97th-percentile answer time, within a budget of 5 %
 * more requests). Then the upstream turns slow for everyone (every answer 300 ms): 400 more calls,
 * to see the copies stop when the budget is spent. The upstream runs in a process of its own and
 * counts the requests it gets. Printed: p50, p99 and p99.9 latency, and origin requests per call.
 */
import { createServer } from 'node:http'
import { forkUpstream, serveToParent } from './processes.ts'
import { quantile } from './statistics.ts'

const CALLS = 10_000
const SLOW_CALLS = 400
const CONCURRENCY = 16

if (process.argv[2] === '--upstream') await upstream()
else await measure()

/** Answers `/tail` 2 % slow, `/slow` always slow; `/count` says how many requests came. */
async function upstream(): Promise<void> {
  let requests = 0
  const server = createServer((request, response) => {
    if (request.url === '/count') return void response.end(String(requests))
    requests += 1
    const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    const slow = request.url === '/slow' || Math.random() < 0.02
    setTimeout(answer, slow ? (request.url === '/slow' ? 300 : 1_000) : 5)
  })
  await serveToParent(server)
}

async function measure(): Promise<void> {
  const upstreamProcess = await forkUpstream(import.meta.filename)
  const { origin } = upstreamProcess
  const { createClient } = await import('../src/index.ts')
  const count = async () => Number(await (await fetch(`${origin}/count`)).text())
  for (const hedge of [false, true]) {
    const api = createClient({ baseUrl: `${origin}/`, retry: false, hedge })
    const before = await count()
    const times = await load(() => api.get('tail'), CALLS)
    const tail = (await count()) - before
    const slowBefore = await count()
    await load(() => api.get('slow'), SLOW_CALLS)
    const slow = (await count()) - slowBefore
    const at = (q: number) => quantile(times, q).toFixed(1)
    console.log(
      `hedging ${hedge ? 'on ' : 'off'}: ${times.filter((t) => t > 500).length} calls over 500 ms; p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, p99.9 ${at(0.999)} ms; ` +
        `origin requests per call ${(tail / CALLS).toFixed(3)}; all slow: ${(slow / SLOW_CALLS).toFixed(3)}`,
    )
  }
  upstreamProcess.stop()
  process.exit(0)
}

/** `calls` calls, CONCURRENCY at a time; their times, sorted. */
async function load(call: () => Promise<{ kind: string }>, calls: number): Promise<number[]> {
  const times: number[] = []
  let left = calls
  const one = async () => {
    while (left-- > 0) {
      const started = performance.now()
      const result = await call()
      if (result.kind !== 'success') throw new Error(`a call ended as ${result.kind}`)
      times.push(performance.now() - started)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, one))
  return times.sort((a, b) => a - b)
}
