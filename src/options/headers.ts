/** Headers and query parameters: a request's merged over the client's, checked as they are set. */

import { checkObject, optionError, show } from '../ground/validate.ts'
import { checkCallerHeader } from '../guard/framing-headers.ts'
import type { HeadersInit } from '../http/fetch-types.ts'
import type { HeadersOption, SearchParamsInit } from './types.ts'

export function mergeHeaders(headers: Headers, extra: HeadersOption | undefined): Headers {
  if (extra === undefined) return headers
  checkObject(extra, 'headers')
  const entries =
    extra instanceof Headers || Array.isArray(extra)
      ? [...new Headers(extra as HeadersInit)]
      : Object.entries(extra)
  for (const [name, value] of entries) {
    if (value === undefined) {
      headers.delete(name)
      continue
    }
    checkCallerHeader(name, 'headers')
    try {
      headers.set(name, value)
    } catch (error) {
      // Headers rejects CR, LF and NUL in values and non-token names: never let them reach the wire.
      throw new TypeError(
        `fetchkind: option "headers" has an invalid header ${show(name)}: ${(error as Error).message}`,
      )
    }
  }
  return headers
}

export function mergeSearchParams(
  params: URLSearchParams,
  extra: SearchParamsInit | undefined,
): URLSearchParams {
  if (extra === undefined) return params
  if (typeof extra === 'string' || extra instanceof URLSearchParams || Array.isArray(extra)) {
    const incoming = new URLSearchParams(extra as string | string[][])
    for (const name of new Set(incoming.keys())) params.delete(name)
    for (const [name, value] of incoming) params.append(name, value)
    return params
  }
  checkObject(extra, 'searchParams')
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) continue
    const values: readonly unknown[] = Array.isArray(value) ? value : [value]
    values.forEach((one, index) => {
      checkParamValue(one, Array.isArray(value) ? `searchParams.${name}[${index}]` : `searchParams.${name}`)
    })
    params.delete(name)
    for (const one of values) params.append(name, String(one))
  }
  return params
}

function checkParamValue(value: unknown, option: string): void {
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
    throw optionError(option, 'a string, number, boolean or null', value)
  }
}
