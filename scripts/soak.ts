/**
 * The soak: 20,000 calls against the chaos origin, faults mixed with healthy answers, 50 at a
 * time, on both transports. Every call must end in a classified result; no rejection may go
 * unhandled; nothing may stay open at the end; memory must be flat after the warm-up.
 * Run by .ci/run: node scripts/soak.ts (Node 24 strips the types).
 */
import { setImmediate as tick } from 'node:timers/promises'
import { createClient } from '../src/index.ts'
import { RESULT_KINDS } from '../src/result/kinds.ts'
import { fetchTransport } from '../src/transport.ts'
import { undiciTransport } from '../src/undici.ts'
import { startChaosOrigin } from '../test/support/chaos-origin.ts'

const CALLS = Number(process.env.SOAK_CALLS ?? 20_000)
const CONCURRENCY = 50
const KINDS = new Set(RESULT_KINDS)
/** Mostly healthy, as real traffic is, with every fault in the mix. */
const PATHS = [
  ...Array(12).fill('/ok'),
  '/reset-before-headers',
  '/reset-mid-body',
  '/never',
  '/trickle',
  '/short-body',
  '/long-body',
  '/bad-status-line',
  '/status-999',
  '/huge-headers',
  '/conflicting-length',
  '/duplicate-headers',
  '/garbage-location',
  '/garbage-retry-after',
  '/garbage-cache',
  '/hops/0',
  '/not-http',
  '/flaky',
]

let unhandled = 0
process.on('unhandledRejection', () => (unhandled += 1))
process.on('uncaughtException', () => (unhandled += 1))

let flaky = 0
const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`
const origin = await startChaosOrigin({
  '/ok': (socket) =>
    socket.end(
      `${head(['HTTP/1.1 200 OK', 'content-type: application/json', 'content-length: 11'])}{"ok":true}`,
    ),
  '/flaky': (socket) => {
    flaky += 1
    socket.end(
      head([
        `HTTP/1.1 ${flaky % 3 === 0 ? '200 OK' : '503 Service Unavailable'}`,
        'retry-after: 0',
        'content-length: 0',
      ]),
    )
  },
})
const undici = undiciTransport()
const options = {
  baseUrl: origin.url,
  timeout: { attempt: 150, total: 400 },
  retry: { backoff: { initial: 5, max: 20 } },
}
const clients = [
  createClient({ ...options, transport: fetchTransport() }),
  createClient({ ...options, transport: undici }),
]

const counts = new Map<string, number>()
const heap: number[] = []
let next = 0
let unclassified = 0

async function worker(): Promise<void> {
  while (next < CALLS) {
    const n = next++
    const path = PATHS[n % PATHS.length] as string
    const result = await (clients[n % 2] as (typeof clients)[0]).get(path, {
      cache: n % 5 === 0 ? 'default' : 'no-store',
    })
    if (!KINDS.has(result.kind)) unclassified += 1
    counts.set(result.kind, (counts.get(result.kind) ?? 0) + 1)
    if (n % 2000 === 0) {
      await tick()
      globalThis.gc?.()
      heap.push(process.memoryUsage().heapUsed)
    }
  }
}

const started = performance.now()
await Promise.all(Array.from({ length: CONCURRENCY }, worker))
const seconds = (performance.now() - started) / 1000

await undici.close()
await origin.stop()
await new Promise((resolve) => setTimeout(resolve, 200))
const open = process
  .getActiveResourcesInfo()
  .filter((resource) => resource !== 'TTYWrap' && resource !== 'PipeWrap')

// Flat: after the warm-up (the first quarter), the heap grows less than half again.
const warm = heap[Math.floor(heap.length / 4)] ?? 0
const last = heap.at(-1) ?? 0
const flat = last < warm * 1.5

console.log(`soak: ${CALLS} calls, concurrency ${CONCURRENCY}, ${seconds.toFixed(1)} s`)
for (const [kind, count] of [...counts].sort((a, b) => b[1] - a[1]))
  console.log(`  ${kind.padEnd(17)} ${count}`)
console.log(
  `  heap after warm-up ${(warm / 2 ** 20).toFixed(1)} MiB, at the end ${(last / 2 ** 20).toFixed(1)} MiB`,
)
console.log(
  `  unclassified ${unclassified}, unhandled ${unhandled}, left open: ${open.length ? open.join(', ') : 'nothing'}`,
)
const total = [...counts.values()].reduce((sum, count) => sum + count, 0)
const ok = total === CALLS && unclassified === 0 && unhandled === 0 && open.length === 0 && flat
console.log(ok ? 'soak: passed' : 'soak: FAILED')
process.exit(ok ? 0 : 1)
