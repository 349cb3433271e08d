/** The CLI's exit status for each kind of result, so that it works as a health check in scripts. */
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
  aborted: 8,
  refused: 9,
} as const satisfies Record<ResultKind | 'usage', number>
