/**
 * The CLI's exit status: by kind of result, so that a script can tell a 404 from an outage, or, with
 * `--exit-codes simple`, 0 or 1 only, as Docker's HEALTHCHECK wants (it reserves 2).
 */
import type { ResultKind } from '../result/types.ts'

export const EXIT_CODES = {
  success: 0,
  'not-modified': 0,
  informational: 0,
  'invalid-response': 1,
  'hook-error': 1,
  usage: 2,
  redirect: 3,
  'client-error': 4,
  'server-error': 5,
  'network-error': 6,
  timeout: 7,
  /** The command sets no breaker, rate limit or bulkhead: kept for the kind's sake. */
  refused: 9,
  expectation: 10,
  /** 128 + SIGINT, as every shell tool exits on Ctrl-C; SIGTERM gives 143. */
  aborted: 130,
} as const satisfies Record<ResultKind | 'usage' | 'expectation', number>

export type ExitCodes = 'full' | 'simple'

/** The status `code` becomes under `mode`: `simple` is 0 for 0, else 1. */
export function exitStatus(code: number, mode: ExitCodes): number {
  if (mode === 'full') return code
  return code === 0 ? 0 : 1
}

/** The exit status of a call a signal ended: 128 + the signal's number. */
export const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 }
