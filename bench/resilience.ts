/**
 * `npm run bench:resilience`: what the circuit breaker does for a caller and for its upstream, on
 * an upstream that fails half its requests and on one that is down. Each answer takes 20 ms, as a
 * real upstream's would; the client makes 400 calls, 20 at a time, with the same retry policy
 * (the default, but 50 ms backoff steps, so that the bench is short), once with the breaker off
 * and once on with Polly's defaults. Each configuration runs in its own process, with an origin
 * of its own, rounds interleaved. Printed: origin requests per call, calls refused, and call
 * latency (p50, p99), medians across rounds with their min–max.
 */
import { execFileSync } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { median, quantile } from './statistics.ts'

const SCENARIOS = ['half failing', 'down'] as const
const CONFIGS = ['breaker off', 'breaker on'] as const
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CALLS = 400
const CONCURRENCY = 20

interface Figures {
  readonly requestsPerCall: number
  readonly refused: number
  readonly p50: number
  readonly p99: number
}

if (process.argv[2] === '--worker')
  await worker(process.argv[3] as (typeof SCENARIOS)[number], process.argv[4] as (typeof CONFIGS)[number])
else orchestrate()

function orchestrate(): void {
  const runs: Record<string, Figures[]> = {}
  for (let round = 0; round < ROUNDS; round++) {
    for (const scenario of SCENARIOS) {
      for (const config of CONFIGS) {
        const output = execFileSync(
          process.execPath,
          ['--disable-warning=ExperimentalWarning', import.meta.filename, '--worker', scenario, config],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        )
        const key = `${scenario}|${config}`
        runs[key] = [...(runs[key] ?? []), JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Figures]
      }
    }
  }
  const cell = (values: number[], digits = 2) =>
    `${median(values).toFixed(digits)} <sub>${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}</sub>`
  console.log(
    `\n${CALLS} calls, ${CONCURRENCY} at a time, each answer 20 ms; medians of ${ROUNDS} rounds (min–max)\n`,
  )
  console.log('| upstream | breaker | origin requests per call | calls refused | p50 ms | p99 ms |')
  console.log('|---|---|---:|---:|---:|---:|')
  for (const scenario of SCENARIOS) {
    for (const config of CONFIGS) {
      const figures = runs[`${scenario}|${config}`] ?? []
      const pick = (name: keyof Figures) => figures.map((figure) => figure[name])
      console.log(
        `| ${scenario} | ${config.replace('breaker ', '')} | ${cell(pick('requestsPerCall'))} | ${cell(pick('refused'), 0)} | ${cell(pick('p50'), 0)} | ${cell(pick('p99'), 0)} |`,
      )
    }
  }
}

async function worker(scenario: (typeof SCENARIOS)[number], config: (typeof CONFIGS)[number]): Promise<void> {
  const { createClient } = await import('../src/index.ts')
  const { undiciTransport } = await import('../src/undici.ts')
  let requests = 0
  const origin = createServer((_request, response) => {
    requests += 1
    // Half failing: every other request; down: all of them. Each answer after 20 ms.
    const fails = scenario === 'down' || requests % 2 === 0
    setTimeout(() => response.writeHead(fails ? 503 : 200).end(fails ? '' : 'ok'), 20)
  })
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve))
  const client = createClient({
    baseUrl: `http://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    transport: undiciTransport(),
    cache: false,
    retry: { backoff: { initial: 50, max: 200 } },
    ...(config === 'breaker on' ? { circuitBreaker: true } : {}),
  })
  const durations: number[] = []
  let refused = 0
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS) {
        const result = await client.get('/')
        durations.push(result.meta.duration)
        if (result.kind === 'refused') refused += 1
      }
    }),
  )
  origin.close()
  durations.sort((a, b) => a - b)
  const at = (share: number) => quantile(durations, share)
  console.log(JSON.stringify({ requestsPerCall: requests / CALLS, refused, p50: at(0.5), p99: at(0.99) }))
  process.exit(0)
}
