/**
 * Whether a sample can be trusted: how much of a core the origin took while it was measured, and
 * how much went to processes other than the client and the origin. On 2 cores the client takes
 * one and the origin shares the other: an origin near a whole core sets the pace itself, and
 * another process's work slows both. Read from Linux's /proc; elsewhere nothing is known, and
 * every sample is taken as it is.
 */
import { readFileSync } from 'node:fs'

/** A moment's CPU counters, in ms: the origin's, and the whole machine's busy time. */
export interface CpuReading {
  readonly at: number
  readonly origin: number | null
  readonly machine: number | null
}

/** What a sample's CPU looked like, as shares of one core. */
export interface CpuShares {
  /** The origin's share of one core, or null where /proc is not there. */
  readonly origin: number | null
  /** Busy time neither the client nor the origin accounts for, as a share of one core. */
  readonly other: number | null
}

/** Above this share of a core, the origin, not the client, may be the limit. */
export const ORIGIN_LIMIT = 0.7
/** Above this share of a core, another process took enough to slow the sample. */
export const OTHER_LIMIT = 0.25

const TICK_MS = 10 // USER_HZ is 100 on Linux

export function readCpu(originPid: number): CpuReading {
  return { at: performance.now(), origin: processMs(originPid), machine: machineBusyMs() }
}

/** The shares between two readings, given the client's own CPU in that time (ms). */
export function sharesBetween(from: CpuReading, to: CpuReading, clientMs: number): CpuShares {
  const elapsed = to.at - from.at
  if (from.origin === null || to.origin === null || from.machine === null || to.machine === null) {
    return { origin: null, other: null }
  }
  const origin = to.origin - from.origin
  const machine = to.machine - from.machine
  return { origin: origin / elapsed, other: Math.max(0, machine - origin - clientMs) / elapsed }
}

/** How much slower than its fastest the machine may be around a sample (the worker's probes). */
export const SLOWDOWN_LIMIT = 1.15

/**
 * Whether a sample is trusted: the origin under its limit, other processes under theirs, and the
 * machine as fast around the sample as it has been at its fastest in this run (`fastest`: the
 * quickest probe seen). On a virtual machine the last is the one that fails most: its core slows
 * for seconds at a time, and nothing in /proc says so.
 */
export function trusted(
  sample: {
    readonly originShare: number | null
    readonly otherShare: number | null
    readonly probes: readonly number[]
  },
  fastest: number,
): boolean {
  return (
    (sample.originShare ?? 0) <= ORIGIN_LIMIT &&
    (sample.otherShare ?? 0) <= OTHER_LIMIT &&
    Math.max(...sample.probes) <= fastest * SLOWDOWN_LIMIT
  )
}

function processMs(pid: number): number | null {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS
  } catch {
    return null
  }
}

function machineBusyMs(): number | null {
  try {
    const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/)
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number)
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * TICK_MS
  } catch {
    return null
  }
}
