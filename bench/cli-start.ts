/**
 * `npm run bench:cli`: what a one-shot command costs, against what Node costs for the same GET.
 * Each round runs, as fresh processes and in turn: a bare `node -e "fetch(…)"`, the built command
 * GETting the same loopback origin, and `fetchkind --version` (start-up alone). Medians and
 * min–max over the rounds; the target is a GET at most 1.3 × the bare fetch (issue 39).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { startOrigin } from './processes.ts'

const root = resolve(import.meta.dirname, '..')
const rounds = Number(process.env.BENCH_ROUNDS ?? 21)

execFileSync(join(root, 'node_modules', '.bin', 'tsup'), ['--silent'], { cwd: root, stdio: 'ignore' })
const cli = join(root, 'dist', 'cli.js')
const { url, child } = await startOrigin()
const target = `${url}/small`

const commands: Record<string, readonly string[]> = {
  'bare fetch': ['--input-type=module', '-e', `await (await fetch(${JSON.stringify(target)})).text()`],
  'fetchkind GET': [cli, '-s', target],
  'fetchkind --version': [cli, '--version'],
  // Another build of the command (an earlier commit's), run in the same rounds.
  ...(process.env.BENCH_COMPARE ? { 'compared GET': [process.env.BENCH_COMPARE, '-s', target] } : {}),
}

/** Milliseconds for one run of `args` in a fresh Node, which must exit 0. */
function timed(args: readonly string[]): number {
  const start = process.hrtime.bigint()
  const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`)
  return ms
}

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]))
// One run of each first, unmeasured: the compile cache and the page cache warm, as on a second call.
for (const args of Object.values(commands)) timed(args)
for (let round = 0; round < rounds; round++) {
  for (const [name, args] of Object.entries(commands)) samples[name]?.push(timed(args))
}
child.kill()

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const bare = median(samples['bare fetch'] ?? [])
console.log(`Node ${process.versions.node}, ${rounds} rounds, each command a fresh process`)
for (const [name, values] of Object.entries(samples)) {
  const m = median(values)
  console.log(
    `${name.padEnd(20)} median ${m.toFixed(1).padStart(6)} ms  (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})  ${(m / bare).toFixed(2)} × bare fetch`,
  )
}
