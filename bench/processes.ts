/** The bench's processes: the origin in one of its own, and each client in one of its own. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { join } from 'node:path'
import type { ClientName } from './clients.ts'
import type { Figures } from './worker.ts'

const here = import.meta.dirname

export interface WorkerReport {
  readonly figures: Record<string, Figures>
  readonly outagePerCall: number | null
  readonly rssMiB: number
}

export async function startOrigin(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(here, 'origin.ts')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (data) => resolve(String(data).trim())),
  )
  return { url: `http://127.0.0.1:${port}`, child }
}

export interface WorkerOptions {
  readonly warmupMs: number
  readonly measureMs: number
  readonly outage?: boolean
  /** Scenario names to run; all of them when absent. */
  readonly only?: readonly string[]
}

/** Runs `client` through the scenarios in a fresh process and returns what it measured. */
export function runWorker(client: ClientName, origin: string, options: WorkerOptions): WorkerReport {
  const args = [join(here, 'worker.ts'), client, origin, String(options.warmupMs), String(options.measureMs)]
  if (options.outage) args.push('--outage')
  const output = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...(options.only ? { BENCH_ONLY: options.only.join(',') } : {}) },
  })
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as WorkerReport
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
