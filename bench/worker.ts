/**
 * One client in one process: runs every scenario against the origin and prints its figures as
 * JSON. Run by bench/run.ts, never on its own.
 */
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { type ClientName, loadClient } from './clients.ts'
import { SCENARIOS } from './scenarios.ts'

const [name, origin, warmupMs, measureMs] = process.argv.slice(2) as [ClientName, string, string, string]
const get = await loadClient(name)

export interface Figures {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly failed: number
  /** Client CPU (user + system) per call, in µs. */
  readonly cpu: number
  /** Bytes the client's heap allocated per call, in KiB (from V8's GC statistics). */
  readonly allocated: number
}

async function measure(
  url: string,
  body: 'json' | 'bytes',
  concurrency: number,
  ms: number,
): Promise<Figures> {
  const latencies: number[] = []
  let failed = 0
  const heap = allocationMeter()
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const until = started + ms
  const loop = async () => {
    while (performance.now() < until) {
      const begin = performance.now()
      const ok = await get(url, body).catch(() => false)
      latencies.push(performance.now() - begin)
      if (!ok) failed += 1
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  const elapsed = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const allocated = heap.stop()
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  const calls = latencies.length
  return {
    rps: (calls / elapsed) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    failed,
    cpu: (cpu.user + cpu.system) / calls,
    allocated: allocated / calls / 1024,
  }
}

/**
 * Bytes allocated on the heap between start and stop: V8 keeps no running total, but each
 * collection reports the heap before and after it, and what was allocated is every rise between.
 */
function allocationMeter(): { stop(): number } {
  const profiler = new GCProfiler()
  const startUsed = getHeapStatistics().used_heap_size
  profiler.start()
  return {
    stop() {
      const endUsed = getHeapStatistics().used_heap_size
      const { statistics } = profiler.stop() as {
        statistics: {
          beforeGC: { heapStatistics: { usedHeapSize: number } }
          afterGC: { heapStatistics: { usedHeapSize: number } }
        }[]
      }
      let allocated = 0
      let from = startUsed
      for (const gc of statistics) {
        allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - from)
        from = gc.afterGC.heapStatistics.usedHeapSize
      }
      return allocated + Math.max(0, endUsed - from)
    },
  }
}

const outageOnly = process.argv.includes('--outage')
const figures: Record<string, Figures> = {}
const only = process.env.BENCH_ONLY?.split(',')
const scenarios = outageOnly ? [] : SCENARIOS.filter((s) => !only || only.includes(s.name))
// Every scenario is warmed before any is measured: warmed one by one, the first measured would
// pay for compiling the code all of them share, and a difference of two scenarios (a redirect
// hop, a cache hit against a network call) would read the JIT, not the client.
for (const scenario of scenarios) {
  await measure(`${origin}${scenario.path}`, scenario.body, scenario.concurrency, Number(warmupMs))
}
for (const scenario of scenarios) {
  const url = `${origin}${scenario.path}`
  figures[scenario.name] = await measure(url, scenario.body, scenario.concurrency, Number(measureMs))
}

/**
 * A full outage: how many requests reach the origin per logical call, with each client's
 * defaults. Run in a process of its own, with no earlier traffic: a retry budget counts every
 * recent request to the origin, and this measures it once the outage is all it has seen.
 */
async function outage(): Promise<number> {
  const calls = 120
  const batch = 40
  await fetch(`${origin}/outage-count`).then((response) => response.json())
  for (let i = 0; i < calls; i += batch) {
    await Promise.all(Array.from({ length: batch }, () => get(`${origin}/outage`, 'json').catch(() => false)))
  }
  const { requests } = (await fetch(`${origin}/outage-count`).then((response) => response.json())) as {
    requests: number
  }
  return requests / calls
}

const outagePerCall = outageOnly ? await outage() : null
process.stdout.write(
  `${JSON.stringify({ figures, outagePerCall, rssMiB: Math.round(process.memoryUsage().rss / 1024 / 1024) })}\n`,
)
process.exit(0)
