/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
import { parseHttpDate } from './date.ts'

/** How long the server asked the client to wait. */
export interface RetryAfter {
  /** Milliseconds from when the response arrived; 0 for a date in the past. */
  readonly ms: number
  /** The moment the wait ends. */
  readonly at: Date
}

/** About 31 years: longer waits are clamped so that `at` stays a valid date. */
const MAX_SECONDS = 1e9

/**
 * Parses a Retry-After value received at `now`. A negative, empty or garbage value is `null`,
 * so that the caller falls back to its own backoff.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): RetryAfter | null {
  if (value === null) return null
  const text = value.trim()
  if (/^\d+$/.test(text)) {
    const ms = Math.min(Number(text), MAX_SECONDS) * 1000
    return { ms, at: new Date(now + ms) }
  }
  const date = parseHttpDate(text, now)
  if (date === null) return null
  const ms = Math.max(0, date - now)
  return { ms, at: new Date(now + ms) }
}
