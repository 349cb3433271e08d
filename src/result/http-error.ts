/** `unwrap` and `HttpError`: throw semantics for callers who want them. */
import { thrownText } from './thrown.ts'
import type { Result, Success } from './types.ts'

/** Every result but a success. */
export type Unsuccessful<T = unknown> = Exclude<Result<T>, Success<T>>

/** Thrown by `unwrap` for any result but a success; carries that result whole. */
export class HttpError<T = unknown> extends Error {
  override readonly name = 'HttpError'
  readonly result: Unsuccessful<T>

  constructor(result: Unsuccessful<T>) {
    const cause =
      result.kind === 'network-error' || result.kind === 'hook-error' ? { cause: result.error } : undefined
    super(describe(result), cause)
    this.result = result
  }

  get kind(): Unsuccessful<T>['kind'] {
    return this.result.kind
  }
}

function describe(result: Unsuccessful): string {
  const { method, url } = result.meta.request
  const call = `${method} ${url}`
  switch (result.kind) {
    case 'network-error':
      return `${call} failed: ${result.code} ${result.message}`
    case 'timeout':
      if (result.phase === 'signal') return `${call} timed out: its signal's timeout passed`
      if (result.inherited)
        return `${call} timed out: the deadline it inherited (${result.limit} ms left) passed`
      return `${call} timed out: the ${result.phase} timeout of ${result.limit} ms passed`
    case 'aborted':
      return `${call} was aborted`
    case 'invalid-response':
      return `${call} returned an invalid response (${result.reason})`
    case 'hook-error':
      return `${call} ended in its ${result.hook} hook: ${thrownText(result.error)}`
    case 'refused':
      return `${call} was refused before sending (${result.reason})`
    default:
      return `${call} returned ${result.status} ${result.statusText} (${result.kind})`.replace('  ', ' ')
  }
}

/**
 * A success's `data` (as `unwrapOr` returns it), or throws an `HttpError` carrying any other
 * result. A caller who wants the success's status or headers too narrows on `result.kind`.
 */
export function unwrap<T>(result: Result<T>): T {
  if (result.kind === 'success') return result.data
  throw new HttpError<T>(result)
}
