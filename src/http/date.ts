/**
 * HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms that
 * recipients must still accept. Strict on shape, so that garbage is `null` rather than whatever
 * `Date.parse` guesses.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)'
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)'
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)'
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'

const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i')
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i')
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`, 'i')

/**
 * The IMF-fixdate read last: a stored response's Date is read for its freshness and its age, and
 * every response of one second carries the same one. (Not the RFC 850 form: it reads by `now`.)
 */
let lastFixdate: { readonly text: string; readonly epoch: number | null } = { text: '', epoch: null }

/** Milliseconds since the epoch, or `null` when `value` is no HTTP-date. */
export function parseHttpDate(value: string, now = Date.now()): number | null {
  if (value === lastFixdate.text) return lastFixdate.epoch
  const text = value.trim()
  let match = IMF_FIXDATE.exec(text)
  if (match) {
    const epoch = toEpoch(match[3], match[2], match[1], match[4], match[5], match[6])
    lastFixdate = { text: value, epoch }
    return epoch
  }
  match = RFC_850.exec(text)
  if (match) return toEpoch(fullYear(Number(match[3]), now), match[2], match[1], match[4], match[5], match[6])
  match = ASCTIME.exec(text)
  if (match) return toEpoch(match[6], match[1], match[2], match[3], match[4], match[5])
  return null
}

/** RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century. */
function fullYear(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear()
  let year = Math.floor(thisYear / 100) * 100 + twoDigits
  if (year > thisYear + 50) year -= 100
  return year
}

function toEpoch(
  year: string | number | undefined,
  month: string | undefined,
  day: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
  seconds: string | undefined,
): number | null {
  const y = Number(year)
  const m = MONTHS.indexOf((month ?? '').toLowerCase())
  const d = Number((day ?? '').trim())
  const h = Number(hours)
  const min = Number(minutes)
  const s = Number(seconds)
  if (m < 0 || d < 1 || h > 23 || min > 59 || s > 60) return null
  const epoch = Date.UTC(y, m, d, h, min, Math.min(s, 59))
  // Date.UTC rolls 31 Feb over into March; such a date is malformed, not a later one.
  if (new Date(epoch).getUTCDate() !== d) return null
  return epoch
}

/** The second written last, and how. */
let lastFormatted = { second: Number.NaN, text: '' }

/** `ms` as an IMF-fixdate (to the second, as the format is): one string for every call in a second. */
export function formatHttpDate(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== lastFormatted.second) {
    lastFormatted = { second, text: new Date(second * 1000).toUTCString() }
  }
  return lastFormatted.text
}
