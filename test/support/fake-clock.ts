/** Running calls to their end under vitest's fake timers. */
import { vi } from 'vitest'
import type { Result } from '../../src/index.ts'

/** Runs a call to its end, moving the fake clock as far as it needs. */
export async function settle(pending: Promise<Result>): Promise<Result> {
  let done = false
  const settled = pending.finally(() => {
    done = true
  })
  settled.catch(() => {})
  while (!done) await vi.advanceTimersToNextTimerAsync()
  return settled
}
