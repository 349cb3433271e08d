/** Every kind of result, as a list for code that checks a kind it was given at run time. */
import type { ResultKind } from './types.ts'

/** Each kind once; the record below makes leaving one out a compile error. */
const EACH_KIND: Record<ResultKind, true> = {
  success: true,
  redirect: true,
  'not-modified': true,
  'client-error': true,
  'server-error': true,
  informational: true,
  'network-error': true,
  timeout: true,
  aborted: true,
  'invalid-response': true,
  refused: true,
  'hook-error': true,
}

export const RESULT_KINDS = Object.keys(EACH_KIND) as readonly ResultKind[]
