/** What the CLI writes: the body, a one-line summary, the details with -v, or the whole result as JSON. */

import { thrownText } from '../result/thrown.ts'
import type { Result } from '../result/types.ts'

export interface Palette {
  readonly good: (text: string) => string
  readonly bad: (text: string) => string
  readonly dim: (text: string) => string
}

const ansi = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`
export const COLOURS: Palette = { good: ansi(32), bad: ansi(31), dim: ansi(2) }
export const PLAIN: Palette = { good: (text) => text, bad: (text) => text, dim: (text) => text }

const GOOD_KINDS = new Set<Result['kind']>(['success', 'not-modified', 'informational'])

export function summary(result: Result, palette: Palette): string {
  const { method, url } = result.meta.request
  const head =
    'status' in result && result.status !== null
      ? `${result.status}${'statusText' in result && result.statusText ? ` ${result.statusText}` : ''}`
      : ''
  const parts = [head, result.kind, `${method} ${url}`].filter(Boolean)
  const attempts = result.meta.attempts.length
  parts.push(`${attempts} attempt${attempts === 1 ? '' : 's'}`, `${Math.round(result.meta.duration)} ms`)
  if (result.meta.cache !== 'miss' && result.meta.cache !== 'bypass') parts.push(`cache ${result.meta.cache}`)
  const detail = failureDetail(result)
  if (detail) parts.push(detail)
  const good = GOOD_KINDS.has(result.kind)
  return (good ? palette.good : palette.bad)(`${good ? '✔' : '✖'} ${parts.join(' · ')}`)
}

function failureDetail(result: Result): string | null {
  switch (result.kind) {
    case 'network-error':
      return `${result.code}: ${result.message}`
    case 'timeout':
      if (result.phase === 'signal') return "the signal's deadline passed"
      return `the ${result.phase} deadline of ${result.limit} ms passed`
    case 'aborted':
      return 'aborted'
    case 'invalid-response':
      return result.reason
    case 'hook-error':
      return `${result.hook} threw: ${thrownText(result.error)}`
    case 'refused':
      return `refused before sending (${result.reason})${result.retryAfter ? `; retry after ${Math.ceil(result.retryAfter.ms / 1000)} s` : ''}`
    case 'redirect':
      return `not followed (${result.reason}) → ${result.location?.href ?? 'no location'}`
    case 'client-error':
    case 'server-error':
      return result.retryAfter ? `retry after ${Math.ceil(result.retryAfter.ms / 1000)} s` : null
    default:
      return null
  }
}

/** Each attempt, the wait after it and why, each redirect hop, and what the cache and retries did. */
export function details(result: Result, palette: Palette): string[] {
  const lines = result.meta.attempts.map((attempt, i) => {
    const outcome = attempt.status ?? attempt.error ?? '?'
    const wait = attempt.delayReason
      ? ` → waited ${Math.round(attempt.delay)} ms (${attempt.delayReason})`
      : ''
    return `  attempt ${i + 1}: ${outcome} from ${attempt.url} in ${Math.round(attempt.duration)} ms${wait}`
  })
  for (const hop of result.meta.redirects) lines.push(`  redirect ${hop.status}: ${hop.from} → ${hop.to}`)
  lines.push(`  cache: ${result.meta.cache}`)
  if (result.meta.retryStop) lines.push(`  not retried: ${result.meta.retryStop}`)
  return lines.map((line) => palette.dim(line))
}

/** The body as bytes for stdout: text as it came, JSON pretty-printed, bytes raw; nothing without one. */
export function bodyOutput(result: Result): Uint8Array | string | null {
  if (!('data' in result) || result.data === undefined || result.data === null) return null
  const { data } = result
  if (typeof data === 'string') return data
  if (data instanceof Uint8Array) return data
  return `${JSON.stringify(data, null, 2)}\n`
}

/** The whole result as JSON: Headers as objects, URLs as strings, bytes as base64, errors by name. */
export function resultJson(result: Result): string {
  return `${JSON.stringify(result, replacer, 2)}\n`
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Headers) return Object.fromEntries(value)
  if (value instanceof URL) return value.href
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') }
  if (value instanceof Error) {
    const { name, message } = value
    const code = (value as { code?: unknown }).code
    return {
      name,
      message,
      ...(code === undefined ? {} : { code }),
      ...(value.cause ? { cause: value.cause } : {}),
    }
  }
  return value
}
