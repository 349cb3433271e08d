/**
 * `npm run bench`: fetchkind against bare undici, raw fetch and its peers, in one run — a bench
 * a verdict can rest on (docs/performance.md, "Method").
 *
 * Each client runs in its own process (undici 8 and global fetch share one dispatcher, so "raw
 * fetch" beside an undici-based client is not raw), against an origin in a process of its own
 * (bench/origin.ts). Clients are interleaved round by round, so that a noisy moment hurts every
 * client alike. Every sample reports the origin's share of a core and the CPU other processes
 * took (bench/sample.ts); a client's round with an untrusted sample is run again, up to twice. A
 * target is the median of per-round ratios in each run, over BENCH_RUNS runs (each with an origin
 * of its own), and is met only when every run's median meets it.
 *
 * Writes bench/results.json and docs/performance-chart.svg, and prints the tables.
 */
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { renderChart } from './chart.ts'
import { CLIENT_NAMES, type ClientName } from './clients.ts'
import { ClientWorker, type Origin, startOrigin } from './processes.ts'
import { ORIGIN_LIMIT, OTHER_LIMIT, SLOWDOWN_LIMIT, trusted } from './sample.ts'
import { CORE_SCENARIOS, SCENARIOS } from './scenarios.ts'
import { median } from './statistics.ts'
import type { Figures } from './worker.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
const FIRST_WARMUP_MS = Number(process.env.BENCH_FIRST_WARMUP_MS ?? 5000)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000)
/** One slice: one client, one scenario, one round. */
const MEASURE_MS = Number(process.env.BENCH_MEASURE_MS ?? 600)
/** Tries of a client's round whose samples are not trusted, before it is kept as it is (and flagged). */
const TRIES = 3
const CLIENTS = (process.env.BENCH_CLIENTS?.split(',') ?? CLIENT_NAMES) as readonly ClientName[]
const here = import.meta.dirname

type Spread = { readonly median: number; readonly min: number; readonly max: number }
const spread = (values: readonly number[]): Spread => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
})

/** What each client measures: the four every client runs, fetchkind's own besides, a redirect for undici. */
function scenariosOf(client: ClientName): readonly string[] {
  if (client.startsWith('fetchkind')) return SCENARIOS.map((scenario) => scenario.name)
  if (client === 'undici.request') return [...CORE_SCENARIOS, 'redirect-c1']
  return CORE_SCENARIOS
}

/** A client's figures for each scenario, one record per round. */
interface WorkerReport {
  readonly figures: Record<string, Figures>
  readonly rssMiB: number
}
interface Run {
  readonly reports: Map<ClientName, WorkerReport[]>
  readonly retried: number
  readonly untrusted: number
}

/**
 * One run: an origin and a process per client of its own. Every client is warmed, then each
 * round takes one slice of each scenario from each client in turn, so that the slices a ratio
 * compares are seconds apart; a slice not trusted (bench/sample.ts) is taken again.
 */
async function oneRun(origin: Origin, run: number): Promise<Run> {
  const workers = CLIENTS.map((client) => new ClientWorker(client, origin))
  const fastest = new Map<ClientName, number>()
  const noteProbes = (client: ClientName, figures: Figures) =>
    fastest.set(client, Math.min(fastest.get(client) ?? Number.POSITIVE_INFINITY, ...figures.probes))
  try {
    for (const worker of workers) {
      // Every scenario is warmed before any is measured: the first longest, for the JIT to finish
      // with the code they share; a difference of two scenarios (a redirect hop, a cache hit
      // against a network call) must read the client, not the JIT.
      for (const [index, scenario] of scenariosOf(worker.client).entries()) {
        noteProbes(worker.client, await worker.warm(scenario, index === 0 ? FIRST_WARMUP_MS : WARMUP_MS))
      }
    }
    const reports = new Map<ClientName, WorkerReport[]>(CLIENTS.map((name) => [name, []]))
    let retried = 0
    let untrusted = 0
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round, so that no client always runs first or last.
      const order = workers.map((_, i) => workers[(i + round) % workers.length] as ClientWorker)
      const figures = new Map<ClientName, Record<string, Figures>>()
      for (const scenario of SCENARIOS) {
        for (const worker of order) {
          if (!scenariosOf(worker.client).includes(scenario.name)) continue
          let slice: Figures | undefined
          for (let attempt = 1; attempt <= TRIES; attempt++) {
            slice = await worker.measure(scenario.name, MEASURE_MS)
            const ok = trusted(slice, fastest.get(worker.client) ?? Number.POSITIVE_INFINITY)
            noteProbes(worker.client, slice)
            if (ok) break
            if (attempt < TRIES) retried += 1
            else untrusted += 1
          }
          figures.set(worker.client, { ...figures.get(worker.client), [scenario.name]: slice as Figures })
        }
      }
      for (const worker of workers) {
        reports.get(worker.client)?.push({ figures: figures.get(worker.client) ?? {}, rssMiB: worker.rssMiB })
      }
      process.stderr.write(`\rrun ${run + 1}/${RUNS}, round ${round + 1}/${ROUNDS}`)
    }
    return { reports, retried, untrusted }
  } finally {
    for (const worker of workers) worker.close()
  }
}

const started = performance.now()
const runs: Run[] = []
const outagePerCall = new Map<ClientName, number | null>()
for (let run = 0; run < RUNS; run++) {
  const origin = await startOrigin()
  try {
    runs.push(await oneRun(origin, run))
    if (run === 0) {
      // A full outage, once per client, in a process of its own with no earlier traffic.
      for (const client of CLIENTS) {
        const worker = new ClientWorker(client, origin)
        outagePerCall.set(client, await worker.outage())
        worker.close()
      }
    }
  } finally {
    origin.child.stdin?.end()
  }
}
process.stderr.write('\n')

const figuresOf = (report: WorkerReport | undefined, scenario: string) => report?.figures[scenario]
/** `figure` of `client` against `baseline` in the same round, for each round of each run: per run, then per round. */
function ratios(
  client: ClientName,
  baseline: ClientName | null,
  figure: (client: Record<string, Figures>, baseline: Record<string, Figures>) => number | undefined,
): { perRun: number[]; rounds: number[] } {
  const perRun: number[] = []
  const rounds: number[] = []
  for (const { reports } of runs) {
    const mine = reports.get(client) ?? []
    const theirs = baseline ? (reports.get(baseline) ?? []) : mine
    const values = mine
      .map((report, i) => figure(report.figures, theirs[i]?.figures ?? {}))
      .filter((v): v is number => v !== undefined && Number.isFinite(v))
    if (values.length === 0) continue
    perRun.push(median(values))
    rounds.push(...values)
  }
  return { perRun, rounds }
}
const rpsRatio = (scenario: string) => (mine: Record<string, Figures>, theirs: Record<string, Figures>) =>
  mine[scenario] && theirs[scenario] ? mine[scenario].rps / theirs[scenario].rps : undefined

/** Per scenario and client: requests per second, latencies, CPU and allocation, ratios in the same round. */
const results = SCENARIOS.map((scenario) => ({
  scenario: scenario.name,
  label: scenario.label,
  clients: CLIENTS.filter((client) => scenariosOf(client).includes(scenario.name)).map((client) => {
    const all = runs.flatMap(({ reports }) => reports.get(client) ?? [])
    const figures = all.map((report) => figuresOf(report, scenario.name)).filter((f): f is Figures => !!f)
    const known = (values: (number | null)[]) => values.filter((v): v is number => v !== null)
    return {
      client,
      rps: spread(figures.map((f) => f.rps)),
      p50: median(figures.map((f) => f.p50)),
      p99: median(figures.map((f) => f.p99)),
      ratio: spread(ratios(client, 'fetch', rpsRatio(scenario.name)).rounds),
      ratioToUndici: spread(ratios(client, 'undici.request', rpsRatio(scenario.name)).rounds),
      cpu: spread(figures.map((f) => f.cpu)),
      allocated: spread(figures.map((f) => f.allocated)),
      originShare: spread(known(figures.map((f) => f.originShare))),
      otherShare: spread(known(figures.map((f) => f.otherShare))),
      failed: figures.reduce((sum, f) => sum + f.failed, 0),
    }
  }),
}))

/**
 * The floor's own spread: how far undici.request's and raw fetch's requests per second move
 * across the rounds of one run, as ± half the range over the median — the smallest difference
 * the run can resolve.
 */
const floors = (['undici.request', 'fetch'] as const)
  .filter((client) => CLIENTS.includes(client))
  .flatMap((client) =>
    CORE_SCENARIOS.map((scenario) => ({
      client,
      scenario,
      perRun: runs.map(({ reports }) => {
        const values = (reports.get(client) ?? []).map((r) => r.figures[scenario]?.rps ?? 0)
        return (Math.max(...values) - Math.min(...values)) / 2 / median(values)
      }),
    })),
  )

const FK = 'fetchkind (undici)'
const FKF = 'fetchkind (fetch)'
const per =
  (scenario: string, what: 'cpu' | 'allocated') =>
  (mine: Record<string, Figures>, theirs: Record<string, Figures>) =>
    mine[scenario] && theirs[scenario] ? mine[scenario][what] / theirs[scenario][what] : undefined
const within = (a: string, b: string) => (mine: Record<string, Figures>) =>
  mine[a] && mine[b] ? mine[a].rps / mine[b].rps : undefined
/** The targets (issue 41, and issue 19's that still stand), each a ratio within one round. */
const targetDefinitions = [
  ...['small-c1', 'small-c64', 'large-c1', 'large-c64'].map((scenario) => ({
    target: `fetchkind (undici) ≥ 0.9× undici.request, requests/s, ${scenario}`,
    value: ratios(FK, 'undici.request', rpsRatio(scenario)),
    meets: (v: number) => v >= 0.9,
  })),
  ...['small-c1', 'small-c64'].flatMap((scenario) => [
    {
      target: `fetchkind (undici) CPU per call ≤ 1.1× undici.request, ${scenario}`,
      value: ratios(FK, 'undici.request', per(scenario, 'cpu')),
      meets: (v: number) => v <= 1.1,
    },
    {
      target: `fetchkind (undici) bytes allocated per call ≤ 1.5× undici.request, ${scenario}`,
      value: ratios(FK, 'undici.request', per(scenario, 'allocated')),
      meets: (v: number) => v <= 1.5,
    },
  ]),
  ...['small-c1', 'small-c64', 'large-c1', 'large-c64'].map((scenario) => ({
    target: `fetchkind (fetch) ≥ 0.95× raw fetch, requests/s, ${scenario}`,
    value: ratios(FKF, 'fetch', rpsRatio(scenario)),
    meets: (v: number) => v >= 0.95,
  })),
  {
    target: "a redirect hop's CPU ≤ 1.1× undici's redirect interceptor's",
    value: ratios(FK, 'undici.request', (mine, theirs) => {
      const hop = (f: Record<string, Figures>) =>
        f['redirect-c1'] && f['small-c1'] ? f['redirect-c1'].cpu - f['small-c1'].cpu : undefined
      const [a, b] = [hop(mine), hop(theirs)]
      return a === undefined || b === undefined ? undefined : a / b
    }),
    meets: (v: number) => v <= 1.1,
  },
  {
    target: 'a fresh cache hit ≥ 25× a network call (fetchkind undici, requests/s)',
    value: ratios(FK, null, within('fresh-c1', 'small-c1')),
    meets: (v: number) => v >= 25,
  },
  {
    target: 'a 304 through the cache ≥ 1× a plain 200 of the same 64 KiB (fetchkind undici)',
    value: ratios(FK, null, within('etag-large-c1', 'large-c1')),
    meets: (v: number) => v >= 1,
  },
]
/**
 * Not targets: fetchkind's fetch transport against raw fetch given a deadline, as a service's call
 * should be — the AbortSignal it then carries is the cost fetch itself puts on a signal.
 */
const references = ['small-c1', 'small-c64', 'large-c1', 'large-c64']
  .map((scenario) => ({
    reference: `fetchkind (fetch) ÷ fetch with AbortSignal.timeout(), requests/s, ${scenario}`,
    value: ratios(FKF, 'fetch + timeout', rpsRatio(scenario)),
  }))
  .filter(({ value }) => value.perRun.length > 0)
  .map(({ reference, value }) => ({ reference, ...summarised(value) }))
const targets = targetDefinitions
  .filter(({ value }) => value.perRun.length > 0)
  .map(({ target, value, meets }) => ({
    target,
    ...summarised(value),
    met: meets(median(value.perRun)) && value.perRun.every(meets),
  }))

/** Per-round ratios as reported: each run's median, their median, and the range of every round. */
function summarised(value: { perRun: number[]; rounds: number[] }) {
  return {
    runs: value.perRun,
    median: median(value.perRun),
    min: Math.min(...value.rounds),
    max: Math.max(...value.rounds),
  }
}
const outage = CLIENTS.map((client) => ({ client, requestsPerCall: outagePerCall.get(client) ?? null }))
const memory = CLIENTS.map((client) => ({
  client,
  rssMiB: median(runs.flatMap(({ reports }) => (reports.get(client) ?? []).map((r) => r.rssMiB))),
}))
const machine = {
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: Math.round(totalmem() / 1024 ** 3),
  runs: RUNS,
  rounds: ROUNDS,
  firstWarmupMs: FIRST_WARMUP_MS,
  warmupMs: WARMUP_MS,
  measureMs: MEASURE_MS,
  retried: runs.reduce((sum, r) => sum + r.retried, 0),
  untrusted: runs.reduce((sum, r) => sum + r.untrusted, 0),
  date: new Date().toISOString().slice(0, 10),
}

writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify({ machine, results, floors, targets, references, outage, memory }, null, 2)}\n`,
)
writeFileSync(join(here, '..', 'docs', 'performance-chart.svg'), renderChart(results))

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const span = (r: Spread, digits = 2) =>
  `${fmt(r.median, digits)} (${fmt(r.min, digits)}–${fmt(r.max, digits)})`
console.log(
  `\nfetchkind bench — ${machine.cpus}, Node ${machine.node}, ${RUNS} runs × ${ROUNDS} rounds, ` +
    `${MEASURE_MS} ms a sample after ${FIRST_WARMUP_MS} + ${WARMUP_MS} ms of warm-up\n`,
)
for (const { label, clients } of results) {
  console.log(label)
  console.log(
    '  client               req/s (min–max)             ×fetch (min–max)      ×undici (min–max)     CPU µs/call  KiB/call  origin  other   p50 ms   p99 ms',
  )
  for (const c of clients) {
    const rps = `${fmt(c.rps.median)} (${fmt(c.rps.min)}–${fmt(c.rps.max)})`
    const share = (s: Spread) => (Number.isFinite(s.median) ? `${fmt(s.max * 100)}%` : '—')
    console.log(
      `  ${c.client.padEnd(20)} ${rps.padEnd(27)} ${span(c.ratio).padEnd(21)} ${span(c.ratioToUndici).padEnd(21)} ${fmt(c.cpu.median, 1).padStart(11)} ${fmt(c.allocated.median, 1).padStart(9)} ${share(c.originShare).padStart(7)} ${share(c.otherShare).padStart(6)} ${fmt(c.p50, 2).padStart(8)} ${fmt(c.p99, 2).padStart(8)}${c.failed ? `  (${c.failed} failed)` : ''}`,
    )
  }
  console.log('')
}
console.log('The floor: ± half the range of requests/s across the rounds of each run, over the median')
for (const { client, scenario, perRun } of floors) {
  console.log(
    `  ${client.padEnd(16)} ${scenario.padEnd(10)} ${perRun.map((v) => `±${fmt(v * 100, 1)}%`).join('  ')}`,
  )
}
console.log(
  `\nSamples run again: ${machine.retried}; kept untrusted after ${TRIES} tries: ${machine.untrusted} ` +
    `(origin over ${ORIGIN_LIMIT * 100}% of a core, other processes over ${OTHER_LIMIT * 100}%, ` +
    `or the machine over ${SLOWDOWN_LIMIT}× slower than its fastest; "origin" and "other" above are each client's highest)`,
)
console.log('\nTargets: median of per-round ratios in each run; met when every run meets it')
for (const t of targets) {
  console.log(
    `  ${t.met ? 'met    ' : 'NOT met'}  ${fmt(t.median, 2)}  runs ${t.runs.map((v) => fmt(v, 2)).join(', ')}  rounds ${fmt(t.min, 2)}–${fmt(t.max, 2)}  ${t.target}`,
  )
}
if (references.length > 0)
  console.log('\nFor reference (not targets): the same ratios against raw fetch with a deadline')
for (const r of references) {
  console.log(
    `           ${fmt(r.median, 2)}  runs ${r.runs.map((v) => fmt(v, 2)).join(', ')}  rounds ${fmt(r.min, 2)}–${fmt(r.max, 2)}  ${r.reference}`,
  )
}
console.log(
  '\nFull outage (always 503): origin requests per logical call, each client with its default retries',
)
for (const { client, requestsPerCall } of outage)
  console.log(`  ${client.padEnd(20)} ${requestsPerCall === null ? '—' : fmt(requestsPerCall, 2)}`)
console.log(
  `\nResident memory at the end of a worker (MiB): ${memory.map((m) => `${m.client} ${m.rssMiB}`).join(', ')}`,
)
console.log(
  `\nWrote bench/results.json and docs/performance-chart.svg in ${fmt((performance.now() - started) / 1000, 0)} s`,
)
