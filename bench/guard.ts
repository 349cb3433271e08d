/**
 * `npm run bench:guard`, a CI step: a short bench of fetchkind with default options against bare
 * `undici.request`, each in its own process, rounds interleaved, and a failure when the ratio of
 * requests per second falls below FLOOR. A ratio, never an absolute time, so that a slow or
 * noisy machine moves both alike; FLOOR sits well under the target (0.9, README "Performance"),
 * to catch a regression — a stage that doubles the cost of a call — not to measure.
 */
import type { ClientName } from './clients.ts'
import { median, runWorker, startOrigin } from './processes.ts'

const FLOOR = 0.35
const ROUNDS = 5
const SCENARIOS = ['small-c1', 'small-c64']
const CLIENTS: readonly ClientName[] = ['undici.request', 'fetchkind (undici)']

const origin = await startOrigin()
const ratios = new Map<string, number[]>(SCENARIOS.map((name) => [name, []]))
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? CLIENTS : [...CLIENTS].reverse()
    const [first, second] = order.map((client) =>
      runWorker(client, origin.url, { warmupMs: 500, measureMs: 1000, only: SCENARIOS }),
    )
    const [undici, fetchkind] = order[0] === 'undici.request' ? [first, second] : [second, first]
    for (const name of SCENARIOS) {
      ratios.get(name)?.push((fetchkind?.figures[name]?.rps ?? 0) / (undici?.figures[name]?.rps ?? 1))
    }
  }
} finally {
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
