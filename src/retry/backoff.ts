/**
 * Exponential backoff with jitter, as AWS's "Exponential Backoff and Jitter" describes it: the
 * jitter spreads the retries of many clients so that they do not arrive in waves.
 */

import type { Complete } from '../ground/complete.ts'
import type { BackoffOptions } from './options.ts'

/**
 * The wait before retry number `retry` (1 for the first). `previous` is the wait before the last
 * retry, which decorrelated jitter grows from; `random` returns a number in [0, 1).
 */
export function backoffDelay(
  retry: number,
  previous: number,
  { initial, max, factor, jitter }: Complete<BackoffOptions>,
  random: () => number = Math.random,
): number {
  // initial 0 would make 0 × Infinity (a huge retry number) NaN: no wait grows from no wait.
  const exponential = initial === 0 ? 0 : Math.min(max, initial * factor ** (retry - 1))
  switch (jitter) {
    case 'none':
      return exponential
    case 'full':
      return random() * exponential
    case 'equal':
      return exponential / 2 + (random() * exponential) / 2
    case 'decorrelated': {
      // Between the first wait and three times the last one, capped.
      const upper = Math.max(initial, previous * 3)
      return Math.min(max, initial + random() * (upper - initial))
    }
  }
}
