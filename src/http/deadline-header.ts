/**
 * A deadline on the wire: the time a request has left, as a downstream service is told it and as
 * an inbound request tells it. Two spellings: gRPC's `grpc-timeout` (a count of at most 8 digits
 * and a unit, `H`, `M`, `S`, `m`, `u` or `n`: "150m"), and, under any other name, whole
 * milliseconds ("150"), as Envoy's `x-envoy-expected-rq-timeout-ms` has it.
 */

const GRPC_TIMEOUT = 'grpc-timeout'
/** gRPC's TimeoutValue: "positive integer as ASCII string of at most 8 digits". */
const GRPC_VALUE = /^(\d{1,8})([HMSmun])$/
const MS_PER_UNIT: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1_000,
  m: 1,
  u: 0.001,
  n: 0.000_001,
}
/** Whole milliseconds: digits only, as many as a safe integer holds. */
const MILLISECONDS = /^\d{1,15}$/

/** The value that tells `name`'s reader `ms` milliseconds are left (rounded down: never more than there is). */
export function formatTimeLeft(name: string, ms: number): string {
  const whole = Math.max(0, Math.floor(ms))
  if (name.toLowerCase() !== GRPC_TIMEOUT) return String(whole)
  // Eight digits of milliseconds is 27 hours; longer is said in seconds, then hours.
  if (whole <= 99_999_999) return `${whole}m`
  const seconds = Math.floor(whole / 1_000)
  return seconds <= 99_999_999 ? `${seconds}S` : `${Math.min(99_999_999, Math.floor(whole / 3_600_000))}H`
}

/**
 * The milliseconds an inbound header value says are left, or `null` for a value that says nothing
 * clearly (absent, empty, negative, fractional, a list, an unknown unit): a malformed deadline is
 * ignored, never taken as zero.
 */
export function parseTimeLeft(name: string, value: string | null | undefined): number | null {
  if (typeof value !== 'string') return null
  const trimmed = value.trim()
  if (name.toLowerCase() === GRPC_TIMEOUT) {
    const match = GRPC_VALUE.exec(trimmed)
    return match ? Number(match[1]) * (MS_PER_UNIT[match[2] as string] as number) : null
  }
  return MILLISECONDS.test(trimmed) ? Number(trimmed) : null
}
