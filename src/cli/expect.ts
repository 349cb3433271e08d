/**
 * The CLI's assertions on the response — `--expect-status`, `--expect-header`, `--expect-json` —
 * parsed from their flags, and checked against the result; a failed one exits with its own code
 * and says what it saw. JSON is compared number by number as the numbers were written, so that
 * `--expect-json /id=9007199254740993` holds only for that number.
 */
import type { Result } from '../result/types.ts'

export type Expectation =
  | { readonly type: 'status'; readonly text: string; readonly allowed: readonly StatusPattern[] }
  | { readonly type: 'header'; readonly text: string; readonly name: string; readonly value: string | null }
  | {
      readonly type: 'json'
      readonly text: string
      readonly pointer: readonly string[]
      readonly value: unknown
    }

/** A status, or a class of them (`2xx`). */
type StatusPattern = { readonly exact: number } | { readonly class: number }

/** `200,204` or `2xx,304`. Throws a message for the usage. */
export function expectStatus(text: string): Expectation {
  const allowed = text.split(',').map((part): StatusPattern => {
    const trimmed = part.trim()
    if (/^[1-5]xx$/i.test(trimmed)) return { class: Number(trimmed[0]) }
    if (/^[1-5]\d\d$/.test(trimmed)) return { exact: Number(trimmed) }
    throw new Error(`--expect-status takes statuses such as 200,204 or 2xx, got ${JSON.stringify(text)}`)
  })
  return { type: 'status', text, allowed }
}

/** `Name` (present) or `Name: value` (present with that value). */
export function expectHeader(text: string): Expectation {
  const colon = text.indexOf(':')
  const name = (colon === -1 ? text : text.slice(0, colon)).trim()
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new Error(`--expect-header takes NAME or NAME:VALUE, got ${JSON.stringify(text)}`)
  }
  return { type: 'header', text, name, value: colon === -1 ? null : text.slice(colon + 1).trim() }
}

/** `POINTER=VALUE`: a JSON Pointer (RFC 6901, `''` for the whole body), and a JSON value or else a string. */
export function expectJson(text: string): Expectation {
  const equals = text.indexOf('=')
  const pointer = equals === -1 ? null : text.slice(0, equals)
  if (pointer === null || (pointer !== '' && !pointer.startsWith('/'))) {
    throw new Error(`--expect-json takes POINTER=VALUE, such as /status=ok, got ${JSON.stringify(text)}`)
  }
  const tokens =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
  const valueText = text.slice(equals + 1)
  return { type: 'json', text, pointer: tokens, value: losslessJson(valueText) ?? valueText }
}

/** The first expectation the result fails, described; `null` when it meets them all. */
export function unmet(
  expectations: readonly Expectation[],
  result: Result,
  body: Uint8Array | null,
): string | null {
  for (const expectation of expectations) {
    const failure = check(expectation, result, body)
    if (failure) return failure
  }
  return null
}

function check(expectation: Expectation, result: Result, body: Uint8Array | null): string | null {
  const status = 'status' in result ? result.status : null
  switch (expectation.type) {
    case 'status': {
      const met =
        status !== null &&
        expectation.allowed.some((pattern) =>
          'exact' in pattern ? pattern.exact === status : Math.floor(status / 100) === pattern.class,
        )
      return met ? null : `expected status ${expectation.text}, got ${status ?? `none (${result.kind})`}`
    }
    case 'header': {
      const headers = 'headers' in result ? result.headers : null
      const value = headers?.get(expectation.name) ?? null
      if (value === null) return `expected header ${expectation.name}, got none`
      if (expectation.value !== null && value !== expectation.value)
        return `expected header ${expectation.name}: ${expectation.value}, got ${expectation.name}: ${value}`
      return null
    }
    case 'json': {
      const where = expectation.pointer.length === 0 ? 'the body' : `/${expectation.pointer.join('/')}`
      const document = body === null ? undefined : losslessJson(new TextDecoder().decode(body))
      if (document === undefined) return `expected JSON at ${where}, got a body that is not JSON`
      const found = resolve(document, expectation.pointer)
      if (found === undefined) return `expected ${where} to be ${show(expectation.value)}, got nothing there`
      return equal(found, expectation.value)
        ? null
        : `expected ${where} to be ${show(expectation.value)}, got ${show(found)}`
    }
  }
}

/** A number as written, so that no digit is lost to a double. */
class Written {
  readonly source: string

  constructor(source: string) {
    this.source = source
  }
}

/** JSON with its numbers as written; `undefined` for text that is not JSON. */
function losslessJson(text: string): unknown {
  try {
    const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' && context?.source !== undefined ? new Written(context.source) : value
    return JSON.parse(text, reviver as (key: string, value: unknown) => unknown)
  } catch {
    return undefined
  }
}

function resolve(document: unknown, pointer: readonly string[]): unknown {
  let at: unknown = document
  for (const token of pointer) {
    if (Array.isArray(at)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined
      at = at[Number(token)]
    } else if (
      at !== null &&
      typeof at === 'object' &&
      !(at instanceof Written) &&
      Object.hasOwn(at, token)
    ) {
      at = (at as Record<string, unknown>)[token]
    } else {
      return undefined
    }
  }
  return at
}

function equal(a: unknown, b: unknown): boolean {
  if (a instanceof Written && b instanceof Written) return sameNumber(a.source, b.source)
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => equal(item, b[i]))
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a)
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && equal(a[key], b[key]))
    )
  }
  return a === b
}

/** Two numbers as written: the same integer however long, or the same double otherwise. */
function sameNumber(a: string, b: string): boolean {
  if (a === b) return true
  const integer = /^-?\d+$/
  if (integer.test(a) && integer.test(b)) return BigInt(a) === BigInt(b)
  return Number(a) === Number(b)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Written)
}

function show(value: unknown): string {
  return JSON.stringify(value, (_key, item) =>
    item instanceof Written ? `\u0000${item.source}\u0000` : item,
  ).replace(/"\\u0000(.*?)\\u0000"/g, '$1')
}
