/**
 * `npm run bench`: fetchkind against raw fetch and its peers, in one run.
 *
 * Each client runs in its own process (undici 8 and global fetch share one dispatcher, so "raw
 * fetch" beside an undici-based client is not raw), clients are interleaved round by round so
 * that a noisy moment hurts every client alike, and figures are medians with min–max across
 * rounds. Writes bench/results.json and bench/chart.svg, and prints the table.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { renderChart } from './chart.ts'
import { CLIENT_NAMES, type ClientName } from './clients.ts'
import { SCENARIOS } from './scenarios.ts'
import type { Figures } from './worker.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 250)
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 700)
const here = import.meta.dirname

interface WorkerReport {
  readonly figures: Record<string, Figures>
  readonly outagePerCall: number | null
  readonly rssMiB: number
}

async function startOrigin(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(here, 'origin.ts')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (data) => resolve(String(data).trim())),
  )
  return { url: `http://127.0.0.1:${port}`, child }
}

function runWorker(client: ClientName, origin: string, outage: boolean): WorkerReport {
  const args = [join(here, 'worker.ts'), client, origin, String(WARMUP_MS), String(MEASURE_MS)]
  if (outage) args.push('--outage')
  const output = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as WorkerReport
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
const range = (values: number[]) => ({
  min: Math.min(...values),
  median: median(values),
  max: Math.max(...values),
})

const started = performance.now()
const origin = await startOrigin()
const reports = new Map<ClientName, WorkerReport[]>(CLIENT_NAMES.map((name) => [name, []]))
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round, so that no client always runs first or last.
  const order = CLIENT_NAMES.map((_, i) => CLIENT_NAMES[(i + round) % CLIENT_NAMES.length] as ClientName)
  for (const client of order) {
    reports.get(client)?.push(runWorker(client, origin.url, false))
    process.stderr.write('.')
  }
}
const outagePerCall = new Map(
  CLIENT_NAMES.map((client) => [client, runWorker(client, origin.url, true).outagePerCall]),
)
process.stderr.write('\n')
origin.child.stdin?.end()

/** Per scenario and client: requests per second, latencies, and the ratio to raw fetch in the same round. */
const results = SCENARIOS.map((scenario) => ({
  scenario: scenario.name,
  label: scenario.label,
  clients: CLIENT_NAMES.map((client) => {
    const runs = reports.get(client) ?? []
    const baseline = reports.get('fetch') ?? []
    const figures = runs.map((run) => run.figures[scenario.name] as Figures)
    return {
      client,
      rps: range(figures.map((f) => f.rps)),
      p50: median(figures.map((f) => f.p50)),
      p99: median(figures.map((f) => f.p99)),
      ratio: range(
        runs.map(
          (run, i) =>
            (run.figures[scenario.name]?.rps ?? 0) / (baseline[i]?.figures[scenario.name]?.rps ?? 1),
        ),
      ),
      failed: figures.reduce((sum, f) => sum + f.failed, 0),
    }
  }),
}))
const outage = CLIENT_NAMES.map((client) => ({
  client,
  requestsPerCall: outagePerCall.get(client) ?? null,
}))
const memory = CLIENT_NAMES.map((client) => ({
  client,
  rssMiB: median((reports.get(client) ?? []).map((r) => r.rssMiB)),
}))
const machine = {
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: Math.round(totalmem() / 1024 ** 3),
  rounds: ROUNDS,
  measureMs: MEASURE_MS,
  date: new Date().toISOString().slice(0, 10),
}

writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify({ machine, results, outage, memory }, null, 2)}\n`,
)
writeFileSync(join(here, 'chart.svg'), renderChart(results))

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
console.log(
  `\nfetchkind bench — ${machine.cpus}, Node ${machine.node}, ${ROUNDS} rounds of ${MEASURE_MS} ms\n`,
)
for (const { label, clients } of results) {
  console.log(label)
  console.log('  client               req/s (min–max)             ×fetch (min–max)      p50 ms   p99 ms')
  for (const c of clients) {
    const rps = `${fmt(c.rps.median)} (${fmt(c.rps.min)}–${fmt(c.rps.max)})`
    const ratio = `${fmt(c.ratio.median, 2)} (${fmt(c.ratio.min, 2)}–${fmt(c.ratio.max, 2)})`
    console.log(
      `  ${c.client.padEnd(20)} ${rps.padEnd(27)} ${ratio.padEnd(21)} ${fmt(c.p50, 2).padStart(6)} ${fmt(c.p99, 2).padStart(8)}${c.failed ? `  (${c.failed} failed)` : ''}`,
    )
  }
  console.log('')
}
console.log(
  'Full outage (always 503): origin requests per logical call, each client with its default retries',
)
for (const { client, requestsPerCall } of outage)
  console.log(`  ${client.padEnd(20)} ${requestsPerCall === null ? '—' : fmt(requestsPerCall, 2)}`)
console.log(
  `\nResident memory at the end of a worker (MiB): ${memory.map((m) => `${m.client} ${m.rssMiB}`).join(', ')}`,
)
console.log(
  `\nWrote bench/results.json and bench/chart.svg in ${fmt((performance.now() - started) / 1000, 0)} s`,
)
