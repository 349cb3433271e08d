/**
 * `client.paginate`: the pages of a listing, one call each, following the response's
 * `Link: <…>; rel="next"` (RFC 8288, as GitHub's and most REST APIs' pagination does) or the
 * caller's own `next`.
 */

import { checkFunction, type NamesOf, optionError } from '../ground/validate.ts'
import { linkTarget } from '../http/link.ts'
import { checkNames } from '../options/names.ts'
import type { RequestOptions } from '../options/types.ts'
import type { Result, Success } from '../result/types.ts'

export interface PaginationOptions<T = unknown> {
  /**
   * Where the page after `result` is: a URL (relative ones resolve against `baseUrl`), or
   * `null`/`undefined` when it is the last. Default: the target of its `Link` field's
   * `rel="next"`, resolved against the page's own URL.
   */
  readonly next?: (result: Success<T>) => string | URL | null | undefined
  /** The most pages to request. Default 100. */
  readonly limit?: number | undefined
}

/**
 * Sends a page. `hop` is set for every page after the first, whose URL a server chose (through
 * its Link, or through the body the caller's `next` reads): the page before it, and the first
 * page, whose origin the caller's credentials are for.
 */
type Send<T> = (input: string | URL, init: RequestOptions, hop?: PageHop) => Promise<Result<T>>

export interface PageHop {
  readonly previous: URL
  readonly first: URL
}

/** Checks the options now, at the call; the pages are requested as the iterator is read. */
export function paginate<T>(
  send: Send<T>,
  input: string | URL,
  init: RequestOptions,
  pagination: PaginationOptions<T>,
): AsyncGenerator<Result<T>, void, undefined> {
  checkNames(pagination, PAGINATION_NAMES, 'pagination.')
  const { next, limit = DEFAULT_PAGE_LIMIT } = pagination
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw optionError('limit', 'a whole number of pages from 1', limit)
  checkFunction(next, 'next')
  return pages(send, input, init, next ?? nextLink, limit)
}

const DEFAULT_PAGE_LIMIT = 100
const PAGINATION_NAMES = { next: true, limit: true } as const satisfies NamesOf<PaginationOptions>

/** Yields each page's result; stops after the first that is not a success, the last page, or `limit`. */
async function* pages<T>(
  send: Send<T>,
  first: string | URL,
  init: RequestOptions,
  next: NonNullable<PaginationOptions<T>['next']>,
  limit: number,
): AsyncGenerator<Result<T>, void, undefined> {
  let target: string | URL | null | undefined = first
  let hop: PageHop | undefined
  for (let page = 0; page < limit && target; page++) {
    const result: Result<T> = await send(target, init, hop)
    yield result
    if (result.kind !== 'success') return
    const previous = new URL(result.meta.request.url)
    hop = { previous, first: hop?.first ?? previous }
    target = next(result)
  }
}

function nextLink(result: Success<unknown>): URL | null {
  return linkTarget(result.headers.get('link'), 'next', new URL(result.meta.request.url))
}
