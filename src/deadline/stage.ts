/**
 * The deadline stage, outermost: a call made in a deadline scope ends by the scope's deadline
 * when it is nearer than the call's own (every stage below, a bulkhead's queue and a retry's wait
 * included, is bounded by it), and each attempt sends its time left downstream where a header is
 * named. The kernel's deadline (call/deadline.ts) does the ending and the sending.
 */
import { failureOutcome, type Stage } from '../call/stage.ts'
import type { DeadlineCallOptions } from './options.ts'
import { currentScope } from './scope.ts'

export const deadlineStage: Stage<DeadlineCallOptions> = (request, next) => {
  const { inherit, header } = request.options.deadline
  const scope = inherit ? currentScope() : undefined
  if (scope) {
    request.deadline.inherit(scope.endsAt)
    // The scope had ended before the call began: nothing is sent.
    const ended = request.deadline.ended
    if (ended) return Promise.resolve(failureOutcome(request.url, ended))
  }
  if (header !== null) request.deadline.propagateAs(header)
  return next(request)
}
