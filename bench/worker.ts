/**
 * One client in one process, told what to do by bench/run.ts over IPC: warm a scenario, measure
 * one for a slice of time, or count the origin's requests in a full outage. It stays alive between
 * slices, warm, so that every client's slices of one scenario can be taken within seconds of each
 * other. Never run on its own.
 */
import { GCProfiler, getHeapStatistics } from 'node:v8'
import { type ClientName, loadClient } from './clients.ts'
import { readCpu, sharesBetween } from './sample.ts'
import { SCENARIOS } from './scenarios.ts'
import { quantile } from './statistics.ts'

const [name, origin] = process.argv.slice(2) as [ClientName, string]
const originPid = Number(process.env.BENCH_ORIGIN_PID ?? 0)
const get = await loadClient(name)

/** What the parent asks of a worker. */
export type Order =
  | { readonly type: 'warm'; readonly scenario: string; readonly ms: number }
  | { readonly type: 'measure'; readonly scenario: string; readonly ms: number }
  | { readonly type: 'outage' }

/** What a worker answers: figures for a measurement or a warm-up (its probes tell the machine's speed), a count for an outage. */
export interface Answer {
  readonly figures?: Figures
  readonly outagePerCall?: number
  readonly rssMiB: number
}

export interface Figures {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly failed: number
  /** Client CPU (user + system) per call, in µs. */
  readonly cpu: number
  /** Bytes the client's heap allocated per call, in KiB (from V8's GC statistics). */
  readonly allocated: number
  /** The origin's share of one core while this was measured (null where /proc is not there). */
  readonly originShare: number | null
  /** Busy CPU neither the client nor the origin accounts for, as a share of one core. */
  readonly otherShare: number | null
  /**
   * How long a fixed piece of work took just before and just after the slice, in µs: the machine's
   * own speed then. A virtual machine's core can slow by half for seconds at a time (its host's
   * other tenants), which no process here accounts for; bench/sample.ts compares these.
   */
  readonly probes: readonly [number, number]
}

async function measure(
  url: string,
  body: 'json' | 'bytes',
  concurrency: number,
  ms: number,
): Promise<Figures> {
  const latencies: number[] = []
  let failed = 0
  const before = probe()
  const heap = allocationMeter()
  const machineBefore = readCpu(originPid)
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
  const shares = sharesBetween(machineBefore, readCpu(originPid), (cpu.user + cpu.system) / 1000)
  const allocated = heap.stop()
  latencies.sort((a, b) => a - b)
  const at = (q: number) => quantile(latencies, q)
  const calls = latencies.length
  return {
    rps: (calls / elapsed) * 1000,
    p50: at(0.5),
    p99: at(0.99),
    failed,
    cpu: (cpu.user + cpu.system) / calls,
    allocated: allocated / calls / 1024,
    originShare: shares.origin,
    otherShare: shares.other,
    probes: [before, probe()],
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

/** µs for a fixed piece of arithmetic: the same work always, so only the machine's speed moves it. */
function probe(): number {
  const start = performance.now()
  let x = 0
  for (let i = 0; i < 300_000; i++) x = (x * 31 + i) % 1_000_003
  const us = (performance.now() - start) * 1000
  // Used, so that the loop is not dropped.
  return x === -1 ? 0 : us
}

/**
 * A full outage: how many requests reach the origin per logical call, with each client's
 * defaults. Asked of a worker with no earlier traffic: a retry budget counts every recent request
 * to the origin, and this measures it once the outage is all it has seen.
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

async function carryOut(order: Order): Promise<Answer> {
  const rssMiB = Math.round(process.memoryUsage().rss / 1024 / 1024)
  if (order.type === 'outage') return { outagePerCall: await outage(), rssMiB }
  const scenario = SCENARIOS.find((s) => s.name === order.scenario)
  if (!scenario) throw new Error(`no scenario ${order.scenario}`)
  const figures = await measure(`${origin}${scenario.path}`, scenario.body, scenario.concurrency, order.ms)
  return { figures, rssMiB }
}

process.on('message', (order: Order) => {
  carryOut(order).then(
    (answer) => process.send?.(answer),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
})
process.send?.({ rssMiB: 0 })
