/**
 * One client in one process: runs every scenario against the origin and prints its figures as
 * JSON. Run by bench/run.ts, never on its own.
 */
import { type ClientName, loadClient } from './clients.ts'
import { SCENARIOS } from './scenarios.ts'

const [name, origin, warmupMs, measureMs] = process.argv.slice(2) as [ClientName, string, string, string]
const get = await loadClient(name)

export interface Figures {
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly failed: number
}

async function measure(
  url: string,
  body: 'json' | 'bytes',
  concurrency: number,
  ms: number,
): Promise<Figures> {
  const latencies: number[] = []
  let failed = 0
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
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { rps: (latencies.length / elapsed) * 1000, p50: at(0.5), p99: at(0.99), failed }
}

const outageOnly = process.argv.includes('--outage')
const figures: Record<string, Figures> = {}
for (const scenario of outageOnly ? [] : SCENARIOS) {
  const url = `${origin}${scenario.path}`
  await measure(url, scenario.body, scenario.concurrency, Number(warmupMs))
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
