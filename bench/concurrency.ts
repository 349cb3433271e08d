/**
 * `npm run bench:concurrency`: issue 42's adaptive concurrency case. An upstream that serves one
 * request every 2 ms (500 a second), 20 ms away — a queue with a fixed service rate, whose latency
 * grows with the requests it holds, and which goes on working on requests nobody waits for any
 * more. Callers arrive at 600 a second (1.2× its capacity), each call with a 1 s deadline.
 *
 * 1. The sweep: a static bulkhead at each of LIMITS (with as many queued as in flight), then
 *    `adaptiveConcurrency: true`, each for WARM + MEASURED seconds against a fresh upstream.
 *    Printed per run: goodput (answers a second within the deadline), p50 and p99 latency of
 *    those answers (queue waits included), and the adaptive limit's median.
 * 2. Capacity halving: `adaptiveConcurrency: true` for 20 s, the upstream's service time doubled
 *    at 10 s; printed: the limit each second, and how long it took to come down.
 *
 * The upstream runs in a process of its own.
 */
import { subscribe } from 'node:diagnostics_channel'
import { createServer } from 'node:http'
import { forkUpstream, serveToParent } from './processes.ts'
import { median, quantile } from './statistics.ts'

const SERVICE_MS = 2
const DISTANCE_MS = 20
const ARRIVALS_PER_SECOND = 600
const DEADLINE_MS = 1_000
const WARM_S = 3
const MEASURED_S = 8
const LIMITS = [4, 8, 11, 12, 14, 16, 24, 32, 64, 1_000]

if (process.argv[2] === '--upstream') await upstream()
else await measure()

/** `/work` queues for its turn; `/slower` doubles the service time from then on. */
async function upstream(): Promise<void> {
  let service = SERVICE_MS
  let free = 0
  const server = createServer((request, response) => {
    if (request.url === '/slower') {
      service *= 2
      return void response.end('ok')
    }
    const now = performance.now()
    free = Math.max(now + DISTANCE_MS / 2, free) + service
    setTimeout(
      () => response.writeHead(200, { 'content-type': 'text/plain' }).end('done'),
      free + DISTANCE_MS / 2 - now,
    )
  })
  server.keepAliveTimeout = 60_000
  await serveToParent(server)
}

interface Run {
  readonly goodput: number
  readonly p50: number
  readonly p99: number
  readonly limits: readonly { readonly at: number; readonly limit: number }[]
}

async function measure(): Promise<void> {
  const { createClient } = await import('../src/index.ts')
  let latest: number | null = null
  subscribe('fetchkind:concurrency', (message) => {
    latest = (message as { limit: number }).limit
  })

  /** Open-loop arrivals against a fresh upstream for `seconds`; `during(second)` at each whole second. */
  const run = async (
    options: Parameters<typeof createClient>[0],
    seconds: number,
    warm: number,
    during: (second: number, origin: string) => void = () => {},
  ): Promise<Run> => {
    const upstreamProcess = await forkUpstream(import.meta.filename)
    const { origin } = upstreamProcess
    latest = null
    const api = createClient({
      baseUrl: `${origin}/`,
      retry: false,
      cache: false,
      timeout: { total: DEADLINE_MS },
      ...options,
    })
    const times: number[] = []
    const limits: { at: number; limit: number }[] = []
    const pending: Promise<unknown>[] = []
    const started = performance.now()
    let sent = 0
    let second = 0
    while (performance.now() - started < seconds * 1_000) {
      const elapsed = performance.now() - started
      const due = Math.floor((elapsed / 1_000) * ARRIVALS_PER_SECOND)
      for (; sent < due; sent++) {
        const at = performance.now()
        pending.push(
          api.get('work').then((result) => {
            if (result.kind === 'success' && at - started >= warm * 1_000) times.push(performance.now() - at)
          }),
        )
      }
      if (elapsed >= (second + 1) * 1_000) {
        second += 1
        during(second, origin)
      }
      if (latest !== null && (limits.length === 0 || elapsed - (limits.at(-1)?.at ?? 0) >= 250))
        limits.push({ at: elapsed, limit: latest })
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    await Promise.all(pending)
    upstreamProcess.stop()
    times.sort((a, b) => a - b)
    return {
      goodput: times.length / (seconds - warm),
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      limits,
    }
  }

  const line = (name: string, result: Run) => {
    const settled = result.limits.filter(({ at }) => at >= WARM_S * 1_000).map(({ limit }) => limit)
    console.log(
      `${name.padEnd(22)} goodput ${result.goodput.toFixed(0).padStart(4)}/s  p50 ${result.p50.toFixed(1).padStart(7)} ms  p99 ${result.p99.toFixed(1).padStart(7)} ms` +
        (settled.length > 0 ? `  limit median ${median(settled)}` : ''),
    )
  }

  const statics: (Run & { limit: number })[] = []
  for (const limit of LIMITS) {
    const result = await run(
      { bulkhead: { maxConcurrent: limit, maxQueued: limit } },
      WARM_S + MEASURED_S,
      WARM_S,
    )
    statics.push({ ...result, limit })
    line(`static ${limit}`, result)
  }
  const adaptive = await run({ adaptiveConcurrency: true }, WARM_S + MEASURED_S, WARM_S)
  line('adaptive', adaptive)
  // The best static limit: the most goodput; within 1 % of it, the lowest p99.
  const most = Math.max(...statics.map(({ goodput }) => goodput))
  const best = statics
    .filter(({ goodput }) => goodput >= most * 0.99)
    .sort((a, b) => a.p99 - b.p99)[0] as (typeof statics)[number]
  console.log(
    `best static: ${best.limit}; adaptive goodput ${((adaptive.goodput / best.goodput) * 100).toFixed(1)} % of it, p99 ${(adaptive.p99 / best.p99).toFixed(2)}× its`,
  )

  const halving = await run({ adaptiveConcurrency: true }, 20, 20, (second, origin) => {
    if (second === 10) void fetch(`${origin}/slower`)
  })
  const at = (from: number, to: number) =>
    halving.limits.filter(({ at }) => at >= from * 1_000 && at < to * 1_000).map(({ limit }) => limit)
  const before = median(at(5, 10))
  const after = median(at(14, 20))
  const fell = halving.limits.find(({ at, limit }) => at >= 10_000 && limit <= (before + after) / 2)
  console.log(
    `halving at 10 s: limit each second ${Array.from({ length: 20 }, (_, s) => at(s, s + 1).at(-1) ?? '-').join(' ')}`,
  )
  console.log(
    `  median ${before} before, ${after} after (knee ${(DISTANCE_MS + SERVICE_MS) / SERVICE_MS} → ${(DISTANCE_MS + 2 * SERVICE_MS) / (2 * SERVICE_MS)}); halfway down ${fell ? `${((fell.at - 10_000) / 1_000).toFixed(2)} s` : 'never'} after the halving`,
  )
  process.exit(0)
}
