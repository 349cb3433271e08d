/**
 * `npm run bench:first`: from `node` starting to the first response in hand, as a new user's
 * script or a freshly started service sees it — fetchkind (the built package, default options)
 * against ky and raw fetch, each a fresh process, in turn, round after round. Each process reports
 * `performance.now()` as its first response arrives: the time since its own start, Node's
 * bootstrap included, the spawning left out. No compile cache: a library does not get to turn one
 * on in its user's process. The target (issue 41): within 1.15 × ky's.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { startOrigin } from './processes.ts'
import { median } from './statistics.ts'

const root = resolve(import.meta.dirname, '..')
const rounds = Number(process.env.BENCH_ROUNDS ?? 31)

execFileSync(join(root, 'node_modules', '.bin', 'tsup'), ['--silent'], { cwd: root, stdio: 'ignore' })
const fetchkind = pathToFileURL(join(root, 'dist', 'index.js')).href
const origin = await startOrigin()
const target = JSON.stringify(`${origin.url}/small`)
const report = 'process.stdout.write(String(performance.now()))'

const scripts: Record<string, string> = {
  'raw fetch': `await (await fetch(${target})).json(); ${report}`,
  ky: `const { default: ky } = await import('ky'); await ky.get(${target}).json(); ${report}`,
  fetchkind: `const { createClient } = await import(${JSON.stringify(fetchkind)}); const result = await createClient().get(${target}); if (result.kind !== 'success') throw new Error(result.kind); ${report}`,
  // Another build (an earlier commit's dist/index.js), run in the same rounds.
  ...(process.env.BENCH_COMPARE
    ? {
        compared: `const { createClient } = await import(${JSON.stringify(pathToFileURL(process.env.BENCH_COMPARE).href)}); await createClient().get(${target}); ${report}`,
      }
    : {}),
}

/** Milliseconds from the process's start to its first response. */
function firstResponse(script: string): number {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  if (run.status !== 0) throw new Error(`exited ${run.status}: ${run.stderr}`)
  return Number(run.stdout)
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(scripts).map((name) => [name, []]))
try {
  // One of each first, unmeasured: the page cache warm, as for any process after the first.
  for (const script of Object.values(scripts)) firstResponse(script)
  for (let round = 0; round < rounds; round++) {
    for (const [name, script] of Object.entries(scripts)) samples[name]?.push(firstResponse(script))
  }
} finally {
  origin.child.stdin?.end()
}

const ky = median(samples.ky ?? [])
console.log(
  `Node ${process.versions.node}, ${rounds} rounds, each a fresh process: ms from start to first response`,
)
for (const [name, values] of Object.entries(samples)) {
  const m = median(values)
  const sorted = [...values].sort((a, b) => a - b)
  const quartiles = `${(sorted[Math.floor(values.length / 4)] ?? 0).toFixed(1)}–${(sorted[Math.floor((3 * values.length) / 4)] ?? 0).toFixed(1)}`
  console.log(
    `  ${name.padEnd(10)} median ${m.toFixed(1).padStart(6)}  (quartiles ${quartiles}, min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})  ${(m / ky).toFixed(2)} × ky`,
  )
}
