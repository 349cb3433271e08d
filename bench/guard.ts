/**
 * `npm run bench:guard`, a CI step: a short bench of fetchkind with default options against bare
 * `undici.request`, each in its own process, rounds interleaved, and a failure when the ratio of
 * requests per second falls below FLOOR. A ratio, never an absolute time, so that a slow or
 * noisy machine moves both alike; FLOOR sits well under the target (0.9, README "Performance"),
 * to catch a regression — a stage that doubles the cost of a call — not to measure.
 */
import type { ClientName } from './clients.ts'
import { ClientWorker, startOrigin } from './processes.ts'
import { median } from './statistics.ts'

const FLOOR = 0.35
const ROUNDS = 7
const SCENARIOS = ['small-c64', 'small-c1']
const CLIENTS: readonly ClientName[] = ['undici.request', 'fetchkind (undici)']

const origin = await startOrigin()
const ratios = new Map<string, number[]>(SCENARIOS.map((name) => [name, []]))
const [undici, fetchkind] = CLIENTS.map((client) => new ClientWorker(client, origin)) as [
  ClientWorker,
  ClientWorker,
]
try {
  for (const worker of [undici, fetchkind]) {
    for (const name of SCENARIOS) await worker.warm(name, 1500)
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Slices of the two taken in turn, seconds apart: a noisy moment moves both.
    for (const name of SCENARIOS) {
      const order = round % 2 === 0 ? [undici, fetchkind] : [fetchkind, undici]
      const rps = new Map<ClientWorker, number>()
      for (const worker of order) rps.set(worker, (await worker.measure(name, 500)).rps)
      ratios.get(name)?.push((rps.get(fetchkind) ?? 0) / (rps.get(undici) ?? 1))
    }
  }
} finally {
  undici.close()
  fetchkind.close()
  origin.child.stdin?.end()
}

let failed = false
for (const [name, values] of ratios) {
  const ratio = median(values)
  const verdict = ratio >= FLOOR ? 'ok' : 'REGRESSED'
  failed ||= ratio < FLOOR
  console.log(
    `bench guard ${name}: fetchkind ÷ undici.request ${ratio.toFixed(2)} (${values.map((v) => v.toFixed(2)).join(', ')}), floor ${FLOOR}: ${verdict}`,
  )
}
process.exit(failed ? 1 : 0)
