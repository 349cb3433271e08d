/**
 * `npm run bench`: fetchkind against raw fetch and its peers, in one run.
 *
 * Each client runs in its own process (undici 8 and global fetch share one dispatcher, so "raw
 * fetch" beside an undici-based client is not raw), clients are interleaved round by round so
 * that a noisy moment hurts every client alike, and figures are medians with min–max across
 * rounds. Writes bench/results.json and docs/performance-chart.svg, and prints the table.
 */
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { renderChart } from './chart.ts'
import { CLIENT_NAMES, type ClientName } from './clients.ts'
import { median, runWorker, startOrigin, type WorkerReport } from './processes.ts'
import { SCENARIOS } from './scenarios.ts'
import type { Figures } from './worker.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 250)
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 700)
const here = import.meta.dirname

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
    reports.get(client)?.push(runWorker(client, origin.url, { warmupMs: WARMUP_MS, measureMs: MEASURE_MS }))
    process.stderr.write('.')
  }
}
const outagePerCall = new Map(
  CLIENT_NAMES.map((client) => [
    client,
    runWorker(client, origin.url, { warmupMs: WARMUP_MS, measureMs: MEASURE_MS, outage: true }).outagePerCall,
  ]),
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
    const undici = reports.get('undici.request') ?? []
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
      ratioToUndici: range(
        runs.map(
          (run, i) => (run.figures[scenario.name]?.rps ?? 0) / (undici[i]?.figures[scenario.name]?.rps ?? 1),
        ),
      ),
      cpu: range(figures.map((f) => f.cpu)),
      allocated: range(figures.map((f) => f.allocated)),
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

/** One figure per round for `client`, from its figures in that round. */
const perRound = (client: ClientName, figure: (figures: Record<string, Figures>) => number) =>
  range((reports.get(client) ?? []).map((run) => figure(run.figures)))
const of = (figures: Record<string, Figures>, scenario: string) => figures[scenario] as Figures
/** The issue's targets (issue 19), each a ratio within one round. */
const targets = [
  ...['small-c1', 'small-c64', 'large-c1', 'large-c64'].flatMap((scenario) => [
    {
      target: `fetchkind (undici) ≥ 0.9× undici.request, ${scenario}`,
      value: range(
        (reports.get('fetchkind (undici)') ?? []).map(
          (run, i) =>
            of(run.figures, scenario).rps /
            of(reports.get('undici.request')?.[i]?.figures ?? {}, scenario).rps,
        ),
      ),
      meets: (v: number) => v >= 0.9,
    },
    {
      target: `fetchkind (fetch) ≥ 0.95× raw fetch, ${scenario}`,
      value: range(
        (reports.get('fetchkind (fetch)') ?? []).map(
          (run, i) =>
            of(run.figures, scenario).rps / of(reports.get('fetch')?.[i]?.figures ?? {}, scenario).rps,
        ),
      ),
      meets: (v: number) => v >= 0.95,
    },
  ]),
  {
    target: 'fetchkind (undici) CPU per call ≤ 1.15× undici.request, small-c64',
    value: range(
      (reports.get('fetchkind (undici)') ?? []).map(
        (run, i) =>
          of(run.figures, 'small-c64').cpu /
          of(reports.get('undici.request')?.[i]?.figures ?? {}, 'small-c64').cpu,
      ),
    ),
    meets: (v: number) => v <= 1.15,
  },
  {
    target: "a redirect hop's CPU ≤ 1.1× undici's redirect interceptor's",
    value: range(
      (reports.get('fetchkind (undici)') ?? []).map((run, i) => {
        const undici = reports.get('undici.request')?.[i]?.figures ?? {}
        const hop = (figures: Record<string, Figures>) =>
          of(figures, 'redirect-c1').cpu - of(figures, 'small-c1').cpu
        return hop(run.figures) / hop(undici)
      }),
    ),
    meets: (v: number) => v <= 1.1,
  },
  {
    target: 'a fresh cache hit ≥ 25× a network call (fetchkind undici, requests per second)',
    value: perRound('fetchkind (undici)', (f) => of(f, 'fresh-c1').rps / of(f, 'small-c1').rps),
    meets: (v: number) => v >= 25,
  },
  {
    target: 'a 304 through the cache ≥ 1× a plain 200 of the same 64 KiB (fetchkind undici)',
    value: perRound('fetchkind (undici)', (f) => of(f, 'etag-large-c1').rps / of(f, 'large-c1').rps),
    meets: (v: number) => v >= 1,
  },
].map(({ target, value, meets }) => ({ target, ...value, met: meets(value.median) }))

writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify({ machine, results, targets, outage, memory }, null, 2)}\n`,
)
writeFileSync(join(here, '..', 'docs', 'performance-chart.svg'), renderChart(results))

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
console.log(
  `\nfetchkind bench — ${machine.cpus}, Node ${machine.node}, ${ROUNDS} rounds of ${MEASURE_MS} ms\n`,
)
for (const { label, clients } of results) {
  console.log(label)
  console.log(
    '  client               req/s (min–max)             ×fetch (min–max)      ×undici (min–max)     CPU µs/call  KiB/call   p50 ms   p99 ms',
  )
  for (const c of clients) {
    const rps = `${fmt(c.rps.median)} (${fmt(c.rps.min)}–${fmt(c.rps.max)})`
    const span = (r: { median: number; min: number; max: number }) =>
      `${fmt(r.median, 2)} (${fmt(r.min, 2)}–${fmt(r.max, 2)})`
    console.log(
      `  ${c.client.padEnd(20)} ${rps.padEnd(27)} ${span(c.ratio).padEnd(21)} ${span(c.ratioToUndici).padEnd(21)} ${fmt(c.cpu.median).padStart(11)} ${fmt(c.allocated.median, 1).padStart(9)} ${fmt(c.p50, 2).padStart(8)} ${fmt(c.p99, 2).padStart(8)}${c.failed ? `  (${c.failed} failed)` : ''}`,
    )
  }
  console.log('')
}
console.log('Targets (issue 19): median (min–max) across rounds')
for (const t of targets) {
  console.log(
    `  ${t.met ? 'met    ' : 'NOT met'}  ${fmt(t.median, 2)} (${fmt(t.min, 2)}–${fmt(t.max, 2)})  ${t.target}`,
  )
}
console.log('')
console.log(
  'Full outage (always 503): origin requests per logical call, each client with its default retries',
)
for (const { client, requestsPerCall } of outage)
  console.log(`  ${client.padEnd(20)} ${requestsPerCall === null ? '—' : fmt(requestsPerCall, 2)}`)
console.log(
  `\nResident memory at the end of a worker (MiB): ${memory.map((m) => `${m.client} ${m.rssMiB}`).join(', ')}`,
)
console.log(
  `\nWrote bench/results.json and docs/performance-chart.svg in ${fmt((performance.now() - started) / 1000, 0)} s`,
)
