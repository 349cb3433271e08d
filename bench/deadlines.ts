/**
 * `npm run bench:deadlines`: a server with a 200 ms inbound deadline (`deadlineFrom` and
 * `withDeadline`) that calls two upstreams in sequence, each answering in 40–160 ms (uniform), so
 * that about half its requests would need more than 200 ms. 400 requests, 16 at a time, after 100
 * to warm up, once with the deadline scope and once without it (the calls' own 30 s deadline
 * alone). The upstream runs in a process of its own. Printed: the server's answer time (from the
 * request's arrival to its answer written) p50, p99 and max, how far the slowest came after the
 * 200 ms (the scheduling slack), and how many upstream calls the deadline cut.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { forkUpstream, serveToParent } from './processes.ts'
import { quantile } from './statistics.ts'

const DEADLINE_MS = 200
const WARMUP = 100
const CALLS = 400
const CONCURRENCY = 16

if (process.argv[2] === '--upstream') await upstream()
else await measure()

/** Answers after 40–160 ms; tells the parent its port. */
async function upstream(): Promise<void> {
  const server = createServer((_request, response) => {
    const answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    setTimeout(answer, 40 + Math.random() * 120)
  })
  await serveToParent(server)
}

async function measure(): Promise<void> {
  const upstreamProcess = await forkUpstream(import.meta.filename)
  const { createClient, deadlineFrom, withDeadline } = await import('../src/index.ts')
  const api = createClient({ baseUrl: `${upstreamProcess.origin}/`, retry: false })
  for (const scoped of [true, false]) {
    const answered: number[] = []
    let cut = 0
    const server = createServer((request, response) => {
      const arrived = performance.now()
      const handle = async () => {
        const calls = [await api.get('a'), await api.get('b')]
        for (const call of calls) if (call.kind === 'timeout' && call.inherited) cut++
        answered.push(performance.now() - arrived)
        response.writeHead(200).end(calls.map((call) => call.kind).join(' '))
      }
      if (scoped) void withDeadline(deadlineFrom(request.headers, { timeout: DEADLINE_MS }), handle)
      else void handle()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    await load(url, WARMUP)
    answered.length = 0
    cut = 0
    await load(url, CALLS)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    answered.sort((a, b) => a - b)
    const at = (q: number) => quantile(answered, q).toFixed(0)
    const max = answered.at(-1) ?? 0
    const figures = `answered in p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${max.toFixed(0)} ms`
    console.log(
      scoped
        ? `with a ${DEADLINE_MS} ms deadline scope: ${figures}; the slowest ${(max - DEADLINE_MS).toFixed(0)} ms after the deadline; upstream calls cut: ${cut} of ${2 * CALLS}`
        : `without one: ${figures}`,
    )
  }
  upstreamProcess.stop()
  process.exit(0)
}

async function load(url: string, calls: number): Promise<void> {
  let left = calls
  const one = async () => {
    while (left-- > 0) await (await fetch(url)).text()
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, one))
}
