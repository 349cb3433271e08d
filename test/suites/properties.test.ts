/**
 * Property tests: every parser and decision, fed what a hostile or careless origin can send,
 * never throws and keeps its invariant — 10,000 generated cases each.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Credentials, cacheKey } from '../../src/cache/credentials.ts'
import type { CacheEntry } from '../../src/cache/store.ts'
import { entryMatches, varyValues } from '../../src/cache/vary.ts'
import { classifyStatus } from '../../src/call/classify.ts'
import { DEFAULT_SENSITIVE_HEADERS } from '../../src/guard/sensitive-headers.ts'
import { formatHttpDate, parseHttpDate } from '../../src/http/date.ts'
import { mediaType, toProblemDetails } from '../../src/http/problem.ts'
import { rateLimitQuota, rateLimitReset } from '../../src/http/rate-limit.ts'
import { parseRetryAfter } from '../../src/http/retry-after.ts'
import { serverWait } from '../../src/http/server-wait.ts'
import { decideRedirect } from '../../src/redirect/decide.ts'
import { DEFAULT_REDIRECT_POLICY } from '../../src/redirect/options.ts'
import { backoffDelay } from '../../src/retry/backoff.ts'
import { describeNetworkError } from '../../src/transport/network-error.ts'

const runs = { numRuns: 10_000 }
const now = Date.UTC(2026, 10, 24, 12, 0, 0)
/** Header values as a careless or hostile server sends them: any text, numbers, dates, noise. */
const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  fc.constantFrom('', ' ', '-0', '1e3', '0x10', 'Infinity', 'NaN', '"5"', '5, 6', '99999999999999999999'),
)

describe('Retry-After', () => {
  it('never throws, and any wait it gives is a finite, non-negative time with a valid date', () => {
    fc.assert(
      fc.property(fc.option(headerValue, { nil: null }), (value) => {
        const parsed = parseRetryAfter(value, now)
        if (parsed === null) return
        expect(Number.isFinite(parsed.ms) && parsed.ms >= 0).toBe(true)
        expect(parsed.at.getTime()).toBe(now + parsed.ms)
      }),
      runs,
    )
  })

  it('reads every whole number of seconds as that many seconds (up to the clamp)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e9 }), (seconds) => {
        expect(parseRetryAfter(String(seconds), now)?.ms).toBe(seconds * 1000)
      }),
      runs,
    )
  })

  it('reads every IMF-fixdate back to the second it names', () => {
    const dates = fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
    fc.assert(
      fc.property(dates, (date) => {
        const second = Math.floor(date.getTime() / 1000) * 1000
        expect(parseHttpDate(new Date(second).toUTCString(), now)).toBe(second)
      }),
      runs,
    )
  })

  it('reads a value the same however often, and after whatever else, it is read', () => {
    const value = fc.oneof(headerValue, fc.constant('Sun, 31 Feb 2026 00:00:00 GMT'))
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (values) => {
        const first = values.map((text) => parseHttpDate(text, now))
        const again = [...values]
          .reverse()
          .map((text) => [parseHttpDate(text, now), parseHttpDate(text, now)])
        expect(again.map(([a]) => a)).toEqual([...first].reverse())
        expect(again.map(([, b]) => b)).toEqual([...first].reverse())
      }),
      runs,
    )
  })

  it('writes any time as Date writes it, whatever was written before', () => {
    // Every time Date can hold, less the last millisecond (the one after it has no date).
    const times = fc.array(fc.integer({ min: -8.64e15, max: 8.64e15 - 1 }), { minLength: 1, maxLength: 6 })
    fc.assert(
      fc.property(times, (values) => {
        for (const ms of [...values, ...values.map((v) => v + 1)]) {
          expect(formatHttpDate(ms)).toBe(new Date(ms).toUTCString())
        }
      }),
      runs,
    )
  })
})

describe('RateLimit fields', () => {
  it('never throw, and any reset they give is finite and non-negative', () => {
    const names = fc.constantFrom('ratelimit', 'ratelimit-reset', 'x-ratelimit-reset', 'retry-after')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(names, headerValue), { maxLength: 4 }),
        fc.integer({ min: 100, max: 599 }),
        (fields, status) => {
          const headers = new Headers()
          for (const [name, value] of fields) {
            try {
              headers.append(name, value)
            } catch {
              // Headers refuses what no server can send; the rest is what this is about.
            }
          }
          const reset = rateLimitReset(headers, now)
          if (reset !== null) expect(Number.isFinite(reset) && reset >= 0).toBe(true)
          const wait = serverWait(status, headers, now)
          if (wait !== null) expect(Number.isFinite(wait.wait.ms) && wait.wait.ms >= 0).toBe(true)
        },
      ),
      runs,
    )
  })

  it('a quota they report is whole and finite, and the tightest of those reported', () => {
    const names = fc.constantFrom(
      'ratelimit',
      'ratelimit-remaining',
      'ratelimit-reset',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    )
    const digits = fc.integer({ min: 0, max: 10_000 }).map(String)
    fc.assert(
      fc.property(fc.array(fc.tuple(names, fc.oneof(headerValue, digits)), { maxLength: 5 }), (fields) => {
        const headers = new Headers()
        for (const [name, value] of fields) {
          try {
            headers.append(name, value)
          } catch {
            // As above: only what a server can send.
          }
        }
        const quota = rateLimitQuota(headers, now)
        if (quota === null) return
        expect(Number.isSafeInteger(quota.remaining) && quota.remaining >= 0).toBe(true)
        expect(Number.isFinite(quota.resetMs) && quota.resetMs >= 0).toBe(true)
        // The X- pair alone, when whole, is never tighter than the quota chosen.
        const remaining = headers.get('x-ratelimit-remaining')?.trim() ?? ''
        if (
          /^\d{1,15}$/.test(remaining) &&
          rateLimitReset(
            new Headers({ 'x-ratelimit-reset': headers.get('x-ratelimit-reset') ?? '' }),
            now,
          ) !== null
        ) {
          expect(quota.remaining).toBeLessThanOrEqual(Number(remaining))
        }
      }),
      runs,
    )
  })

  it('reads a spent quota from each form the drafts and the X- fields give it', () => {
    const spent = (fields: Record<string, string>) => rateLimitQuota(new Headers(fields), now)
    expect(spent({ ratelimit: '"burst";r=0;t=30, "day";r=5;t=3600' })).toEqual({
      remaining: 0,
      resetMs: 30_000,
    })
    expect(spent({ ratelimit: 'limit=10, remaining=0, reset=7' })).toEqual({ remaining: 0, resetMs: 7_000 })
    expect(spent({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 60) })).toEqual({
      remaining: 0,
      resetMs: 60_000,
    })
    expect(spent({ 'x-ratelimit-remaining': '3' })).toBeNull()
  })
})

describe('status classification', () => {
  it('gives every integer from 100 to 599 the kind of its class, and nothing else a kind', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1000, max: 2000 }), fc.double()), (status) => {
        const kind = classifyStatus(status)
        const valid = Number.isInteger(status) && status >= 100 && status <= 599
        expect(kind !== null).toBe(valid)
        if (status === 304) expect(kind).toBe('not-modified')
        if (valid && status !== 304) {
          const byClass = ['informational', 'success', 'redirect', 'client-error', 'server-error'][
            Math.floor(status / 100) - 1
          ]
          expect(kind).toBe(byClass)
        }
      }),
      runs,
    )
  })
})

describe('backoff', () => {
  it('stays within [0, max] for every jitter, retry number and random draw', () => {
    const options = fc.record({
      initial: fc.integer({ min: 0, max: 10_000 }),
      extra: fc.integer({ min: 0, max: 100_000 }),
      factor: fc.double({ min: 1, max: 10, noNaN: true }),
      jitter: fc.constantFrom('full', 'equal', 'decorrelated', 'none' as const),
    })
    fc.assert(
      fc.property(
        options,
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (o, retry, previous, random) => {
          const backoff = { initial: o.initial, max: o.initial + o.extra, factor: o.factor, jitter: o.jitter }
          const delay = backoffDelay(retry, previous, backoff, () => random)
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(backoff.max)
        },
      ),
      runs,
    )
  })
})

describe('Location resolution', () => {
  const from = {
    url: new URL('https://api.test/a/b'),
    method: 'GET',
    headers: new Headers({ authorization: 'x' }),
    body: null,
  }
  it('never throws; a followed hop is http(s), has no credentials, and drops credentials off-origin', () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(fc.webUrl(), fc.string(), fc.webPath()), { nil: null }),
        fc.constantFrom(301, 302, 303, 307, 308),
        (location, status) => {
          const rules = { ...DEFAULT_REDIRECT_POLICY, sensitiveHeaders: DEFAULT_SENSITIVE_HEADERS }
          const decision = decideRedirect(from, status, location, rules, 0, new Set())
          if (!decision.follow) return
          const { url, headers } = decision.next
          expect(['http:', 'https:']).toContain(url.protocol)
          expect(url.username + url.password).toBe('')
          expect(url.protocol === 'http:').toBe(false) // https → http is a downgrade, refused by default
          if (url.origin !== from.url.origin) expect(headers.has('authorization')).toBe(false)
        },
      ),
      runs,
    )
  })
})

describe('cache keys and Vary', () => {
  it('a key never depends on the fragment, and never shows the URL', () => {
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), (text) => {
        const url = new URL(text)
        const key = cacheKey(url)
        expect(key).toMatch(/^[0-9a-f]{64}$/)
        const without = new URL(text)
        without.hash = ''
        expect(key).toBe(cacheKey(without))
      }),
      runs,
    )
  })

  /** A stored head with nothing in it: the match reads its Content-Language. */
  const HEAD = { headers: {}, requestTime: 0, responseTime: 0 }

  it('an entry matches the very request it was stored for, and Vary: * matches nothing', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/)
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 5 }),
        fc.dictionary(token, fc.stringMatching(/^[ -~]{0,20}$/)),
        fc.boolean(),
        (names, sent, star) => {
          const headers = new Headers()
          for (const [name, value] of Object.entries(sent)) headers.set(name, value.trim())
          const credentials = new Credentials(DEFAULT_SENSITIVE_HEADERS, 'a key of sixteen+ chars')
          const vary = varyValues(star ? [...names, '*'].join(', ') : names.join(', '), headers, credentials)
          if (star) {
            expect(vary).toBeNull()
            return
          }
          const entry = { vary, credentialHash: 'someone' } as unknown as CacheEntry
          const owner = (fingerprint: string) => ({ credentials, fingerprint, sharesAnonymous: true })
          expect(entryMatches(entry, HEAD, headers, owner('someone'))).toBe(true)
          expect(entryMatches(entry, HEAD, headers, owner('someone-else'))).toBe(false)
        },
      ),
      runs,
    )
  })

  it('no Vary a server sends, nor any entry a store hands back, makes the match throw', () => {
    const credentials = new Credentials(DEFAULT_SENSITIVE_HEADERS, 'a key of sixteen+ chars')
    const headers = new Headers({ accept: 'application/json' })
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(fc.string(), fc.option(fc.string(), { nil: null })),
        (vary, stored) => {
          expect(() => varyValues(vary, headers, credentials)).not.toThrow()
          const entry = { vary: stored, credentialHash: '' } as unknown as CacheEntry
          const owner = { credentials, fingerprint: '', sharesAnonymous: true }
          expect(typeof entryMatches(entry, HEAD, headers, owner)).toBe('boolean')
        },
      ),
      runs,
    )
  })
})

describe('the rest of what a server controls', () => {
  it('problem details and media types never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.option(headerValue, { nil: null }), (body, contentType) => {
        const problem = toProblemDetails(body)
        if (problem !== null) expect(typeof problem.type).toBe('string')
        expect(typeof mediaType(contentType)).toBe('string')
      }),
      runs,
    )
  })

  it('a media type is the part before any parameter, trimmed and lower-cased', () => {
    const typed = fc.oneof(
      headerValue,
      fc.constantFrom('Application/JSON ; charset=utf-8', ' text/html', ';x', ''),
    )
    fc.assert(
      fc.property(typed, (contentType) => {
        expect(mediaType(contentType)).toBe(contentType.split(';', 1)[0]?.trim().toLowerCase())
      }),
      runs,
    )
  })

  it('network error descriptions never throw, whatever is thrown', () => {
    fc.assert(
      fc.property(fc.anything(), (thrown) => {
        const { code, message } = describeNetworkError(thrown)
        expect(typeof code).toBe('string')
        expect(typeof message).toBe('string')
      }),
      runs,
    )
  })
})
