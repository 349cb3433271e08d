/**
 * Narrowing a result without a switch: type guards for `if` and `.filter()`, and the data of a
 * success or a fallback.
 */
import type { Result, ResultKind, Success } from './types.ts'

/** Whether `result` is a success; as `result.ok`, in a form `.filter()` takes. */
export function isSuccess<T>(result: Result<T>): result is Success<T> {
  return result.kind === 'success'
}

/**
 * A guard for results of any of `kinds`, for `.filter()` and `if`:
 * `results.filter(isKind('client-error', 'server-error'))` is typed as those two kinds.
 */
export function isKind<const K extends ResultKind>(
  ...kinds: readonly K[]
): <T>(result: Result<T>) => result is Extract<Result<T>, { readonly kind: K }> {
  if (kinds.length === 0) throw new TypeError('fetchkind: isKind needs at least one kind')
  const wanted: ReadonlySet<ResultKind> = new Set(kinds)
  return <T>(result: Result<T>): result is Extract<Result<T>, { readonly kind: K }> => wanted.has(result.kind)
}

/** A success's `data`, or `fallback` for any other result. */
export function unwrapOr<T, F>(result: Result<T>, fallback: F): T | F {
  return result.kind === 'success' ? result.data : fallback
}
