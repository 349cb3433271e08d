/**
 * What the CLI writes: the body as it came (or re-indented, when asked), the status line and
 * headers with -i, a one-line summary, the details with -v, or the whole result as JSON. All of it
 * but the body with its control characters made visible (visible.ts).
 */
import { thrownText } from '../result/thrown.ts'
import type { Result } from '../result/types.ts'
import { prettyJson } from './pretty-json.ts'
import { visible, visibleJson } from './visible.ts'

/** Colours a text, or not: `node:util`'s styleText decides by the terminal, NO_COLOR and FORCE_COLOR. */
export type Style = (format: 'green' | 'red' | 'dim', text: string) => string

export const PLAIN: Style = (_format, text) => text

const GOOD_KINDS = new Set<Result['kind']>(['success', 'not-modified', 'informational'])

/** The one line on stderr: ✔ or ✖, the status, the kind, the request, attempts, time, and why it failed. */
export function summary(result: Result, style: Style, unmet: string | null = null): string {
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
  if (unmet) parts.push(`assertion unmet: ${unmet}`)
  const good = GOOD_KINDS.has(result.kind) && unmet === null
  return style(good ? 'green' : 'red', visible(`${good ? '✔' : '✖'} ${parts.join(' · ')}`))
}

function failureDetail(result: Result): string | null {
  switch (result.kind) {
    case 'network-error':
      return `${result.code}: ${result.message}`
    case 'timeout':
      if (result.phase === 'signal') return "the signal's deadline passed"
      return `the ${result.phase} deadline of ${result.limit} ms passed`
    case 'aborted':
      return 'interrupted'
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
export function details(result: Result, style: Style): string[] {
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
  return lines.map((line) => style('dim', visible(line)))
}

/** The status line and the headers, as curl -i prints them; nothing for a call that got no response. */
export function headLines(result: Result): string | null {
  if (!('headers' in result) || !('status' in result) || result.status === null) return null
  const h2 = result.meta.attempts.at(-1)?.protocol === 'h2'
  // HTTP/2 carries no reason phrase.
  const reason = !h2 && 'statusText' in result && result.statusText ? ` ${result.statusText}` : ''
  const protocol = h2 ? 'HTTP/2' : 'HTTP/1.1'
  let text = `${protocol} ${result.status}${visible(reason)}\r\n`
  for (const [name, value] of result.headers) text += `${name}: ${visible(value)}\r\n`
  return `${text}\r\n`
}

/** The body's bytes as they came; re-indented when `pretty` and it is JSON; `null` without one. */
export function bodyBytes(result: Result, pretty: boolean): Uint8Array | string | null {
  if (!('data' in result) || !(result.data instanceof Uint8Array)) return null
  if (!pretty || !isJson(result)) return result.data
  return prettyJson(new TextDecoder().decode(result.data))
}

function isJson(result: Result): boolean {
  const type = 'headers' in result ? (result.headers.get('content-type') ?? '') : ''
  return /^application\/([\w.+-]*\+)?json\b/i.test(type.trim())
}

/** The whole result as JSON: Headers as objects, URLs as strings, bytes as base64, errors by name. */
export function resultJson(result: Result): string {
  return `${visibleJson(JSON.stringify(result, replacer, 2))}\n`
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
