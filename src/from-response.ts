/** `fromResponse`: classify a Response obtained elsewhere (another library, a test) into a result. */

import { createClient } from './client.ts'
import type { DataFor, JsonBodyOptions } from './client-types.ts'
import type { ResponseType } from './options/types.ts'
import type { StandardSchemaV1 } from './result/schema.ts'
import type { Result } from './result/types.ts'

export interface FromResponseOptions {
  /** The method the response answered, which decides whether it has a body (HEAD). Default 'GET'. */
  readonly method?: string | undefined
  readonly responseType?: ResponseType | undefined
  readonly schema?: StandardSchemaV1 | undefined
}

/** What a response whose URL is unknown (one built with `new Response`) is reported as. */
const UNKNOWN_URL = 'http://response.invalid/'

/**
 * The result this response would have been: classified, its body read and decoded, its schema
 * checked. Nothing is sent; `meta` records the one "attempt" that produced it. `data` is typed as
 * a call's is: by the options, or for a JSON body by `T`, which the options may not contradict.
 */
export function fromResponse<T = unknown>(
  response: Response,
  options?: JsonBodyOptions<FromResponseOptions>,
): Promise<Result<T>>
export function fromResponse<const O extends FromResponseOptions>(
  response: Response,
  options?: O,
): Promise<Result<DataFor<O, unknown>>>
export function fromResponse(response: Response, options?: FromResponseOptions): Promise<Result> {
  const client = createClient({
    fetch: async () => response,
    retry: false,
    redirect: { follow: 'never' },
    cache: false,
    timeout: false,
  })
  return client.request(response.url || UNKNOWN_URL, { method: 'GET', ...options })
}
