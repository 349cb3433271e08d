/**
 * The deadline scope: the time a unit of work (a server's inbound request, a job) has left, held
 * in an AsyncLocalStorage so that every call made on its behalf, however deep, inherits it without
 * a signal threaded through each function. A scope opened inside another ends no later than it.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

/** What a scope holds: when it ends (`Date.now()` time, which fake timers move too). */
export interface DeadlineScope {
  readonly endsAt: number
}

const SCOPES = new AsyncLocalStorage<DeadlineScope>()
/** Whether any scope was ever opened: until one is, no call asks the storage (a read per call). */
let opened = false

/**
 * Runs `run` in a deadline scope that ends `timeout` milliseconds from now, or sooner when it is
 * opened inside a nearer one: every fetchkind call made within it (its callbacks and promises
 * included) ends by then, as `{ kind: 'timeout', phase: 'total', inherited: true }`. Returns what
 * `run` returns.
 */
export function withDeadline<T>(timeout: number, run: () => T): T {
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw new TypeError(
      `fetchkind: withDeadline's timeout must be milliseconds from 0, got ${String(timeout)}`,
    )
  }
  if (typeof run !== 'function') throw new TypeError('fetchkind: withDeadline needs a function to run')
  const endsAt = Math.min(Date.now() + timeout, SCOPES.getStore()?.endsAt ?? Number.POSITIVE_INFINITY)
  opened = true
  return SCOPES.run({ endsAt }, run)
}

/** Milliseconds left in the deadline scope this runs in (0 once it has passed); `null` outside any. */
export function deadlineLeft(): number | null {
  const scope = SCOPES.getStore()
  return scope ? Math.max(0, scope.endsAt - Date.now()) : null
}

/** The scope this runs in, if any. */
export function currentScope(): DeadlineScope | undefined {
  return opened ? SCOPES.getStore() : undefined
}
