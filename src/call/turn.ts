/**
 * A call's turn in a bulkhead (the static one's, or the adaptive concurrency limit's), as a stage
 * takes it: at once, or after a wait in the queue, which is told on `fetchkind:policy:wait`.
 */
import type { RefusalReason } from '../result/types.ts'
import type { Bulkhead } from './bulkhead.ts'
import { announceWait, type PolicyWaitEvent } from './diagnostics.ts'
import { endedWhileWaiting, type FailureOutcome, type HopRequest, refusedOutcome } from './stage.ts'

/**
 * The turn's release; or the outcome the call ends with instead: refused for `reason` when the
 * queue is full too, or the call's own end (its deadline, its caller's abort) while it waited.
 */
export async function turnIn(
  bulkhead: Bulkhead,
  request: HopRequest,
  policy: PolicyWaitEvent['policy'],
  reason: RefusalReason,
): Promise<(() => void) | FailureOutcome> {
  const slot = bulkhead.acquire(request.deadline.signal)
  if (!slot) return refusedOutcome(request.url, reason, null)
  if (typeof slot === 'function') return slot
  const queued = performance.now()
  try {
    const release = await slot
    announceWait(request.trace, policy, performance.now() - queued)
    return release
  } catch {
    return endedWhileWaiting(request)
  }
}
