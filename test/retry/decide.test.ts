import { describe, expect, it } from 'vitest'
import { RetryBudget } from '../../src/call/budget.ts'
import { failureOutcome } from '../../src/call/stage.ts'
import { rateLimitReset } from '../../src/http/rate-limit.ts'
import { serverWait } from '../../src/http/server-wait.ts'
import { backoffDelay } from '../../src/retry/backoff.ts'
import { methodAllowsRetry } from '../../src/retry/decide.ts'
import { DEFAULT_RETRY_POLICY, type RetryOptions, resolveRetryPolicy } from '../../src/retry/options.ts'

const now = Date.UTC(2026, 10, 24, 12, 0, 0)
const backoff = { initial: 100, max: 1000, factor: 2, jitter: 'none' } as const

describe('backoffDelay', () => {
  it('grows by the factor and stops at max without jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelay(retry, 0, backoff))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ])
  })

  it('full jitter is anywhere from 0 to the exponential wait', () => {
    const full = { ...backoff, jitter: 'full' } as const
    expect(backoffDelay(3, 0, full, () => 0)).toBe(0)
    expect(backoffDelay(3, 0, full, () => 0.5)).toBe(200)
    expect(backoffDelay(3, 0, full, () => 0.999)).toBeCloseTo(399.6)
  })

  it('equal jitter keeps at least half the wait', () => {
    const equal = { ...backoff, jitter: 'equal' } as const
    expect(backoffDelay(3, 0, equal, () => 0)).toBe(200)
    expect(backoffDelay(3, 0, equal, () => 0.999)).toBeCloseTo(399.8)
  })

  it('decorrelated jitter grows from the previous wait, within initial and max', () => {
    const decorrelated = { ...backoff, jitter: 'decorrelated' } as const
    expect(backoffDelay(2, 100, decorrelated, () => 0)).toBe(100)
    expect(backoffDelay(2, 100, decorrelated, () => 0.5)).toBe(200)
    expect(backoffDelay(5, 900, decorrelated, () => 0.999)).toBe(1000)
  })

  it('never leaves [0, max] for any jitter and any random value', () => {
    for (const jitter of ['full', 'equal', 'decorrelated', 'none'] as const) {
      for (let retry = 1; retry <= 40; retry++) {
        for (const random of [0, 0.25, 0.5, 0.75, 0.9999]) {
          const delay = backoffDelay(
            retry,
            backoffDelay(retry - 1 || 1, 0, { ...backoff, jitter }),
            { ...backoff, jitter },
            () => random,
          )
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(1000)
        }
      }
    }
  })
})

describe('rateLimitReset', () => {
  const reset = (fields: Record<string, string>) => rateLimitReset(new Headers(fields), now)
  it.each([
    [{ ratelimit: '"default";r=0;t=30' }, 30_000],
    [{ ratelimit: '"burst";r=0;t=5, "day";r=0;t=3600' }, 3_600_000],
    [{ ratelimit: '"burst";r=0;t=5, "day";r=10;t=3600' }, 5_000],
    [{ ratelimit: 'limit=100, remaining=0, reset=12' }, 12_000],
    [{ 'ratelimit-reset': '7' }, 7_000],
    [{ 'x-ratelimit-reset': '9' }, 9_000],
    [{ 'x-ratelimit-reset': String(now / 1000 + 42) }, 42_000],
    [{ 'x-ratelimit-reset': String(now + 1500) }, 1_500],
    [{ 'x-ratelimit-reset': String(now / 1000 - 100) }, 0],
  ])('%j waits %i ms', (fields, ms) => {
    expect(reset(fields)).toBe(ms)
  })

  it.each([
    {},
    { ratelimit: '"default";r=3;t=30' },
    { ratelimit: 'garbage' },
    { 'ratelimit-reset': '-5' },
    { 'ratelimit-reset': '1.5' },
    { 'x-ratelimit-reset': 'soon' },
    { ratelimit: '"default";r=0;t=abc' },
  ])('%j says nothing', (fields) => {
    expect(reset(fields)).toBeNull()
  })
})

describe('serverWait', () => {
  it('prefers Retry-After to the rate-limit fields', () => {
    const headers = new Headers({ 'retry-after': '3', 'ratelimit-reset': '60' })
    expect(serverWait(429, headers, now)).toEqual({
      wait: { ms: 3000, at: new Date(now + 3000) },
      source: 'retry-after',
    })
  })

  it('reads the rate-limit fields only on 429 and 503', () => {
    const headers = new Headers({ 'ratelimit-reset': '60' })
    expect(serverWait(429, headers, now)?.source).toBe('ratelimit')
    expect(serverWait(503, headers, now)?.wait.ms).toBe(60_000)
    expect(serverWait(502, headers, now)).toBeNull()
  })

  it('ignores garbage Retry-After and falls back to the rate-limit fields', () => {
    const headers = new Headers({ 'retry-after': 'later', 'x-ratelimit-reset': '4' })
    expect(serverWait(429, headers, now)).toMatchObject({ source: 'ratelimit', wait: { ms: 4000 } })
  })
})

describe('RetryBudget', () => {
  const options = { ratio: 0.2, minPerSecond: 0, window: 10_000 }

  it('allows retries up to ratio × recent requests', () => {
    const budget = new RetryBudget()
    for (let i = 0; i < 10; i++) budget.deposit(options, now)
    expect(budget.tryWithdraw(options, now)).toBe(true)
    expect(budget.tryWithdraw(options, now)).toBe(true)
    expect(budget.tryWithdraw(options, now)).toBe(false)
  })

  it('allows the floor when the ratio allows fewer, not the floor on top of the ratio', () => {
    const budget = new RetryBudget()
    const floor = { ratio: 0.2, minPerSecond: 0.2, window: 10_000 }
    for (let i = 0; i < 20; i++) budget.deposit(floor, now)
    // max(0.2 × 20, 0.2 × 10) = 4
    expect([1, 2, 3, 4, 5].map(() => budget.tryWithdraw(floor, now))).toEqual([true, true, true, true, false])
  })

  it('allows the floor with no traffic at all', () => {
    const budget = new RetryBudget()
    const floor = { ratio: 0.2, minPerSecond: 0.3, window: 10_000 }
    expect([1, 2, 3, 4].map(() => budget.tryWithdraw(floor, now))).toEqual([true, true, true, false])
  })

  it('recovers once the window has passed', () => {
    const budget = new RetryBudget()
    for (let i = 0; i < 5; i++) budget.deposit(options, now)
    expect(budget.tryWithdraw(options, now)).toBe(true)
    expect(budget.tryWithdraw(options, now)).toBe(false)
    const later = now + 11_000
    for (let i = 0; i < 5; i++) budget.deposit(options, later)
    expect(budget.tryWithdraw(options, later)).toBe(true)
  })
})

describe('retry option validation', () => {
  const resolve = (options: unknown) => resolveRetryPolicy(options as RetryOptions, DEFAULT_RETRY_POLICY)
  it.each([
    [{ limit: -1 }, /"retry.limit"/],
    [{ limit: 1.5 }, /"retry.limit"/],
    [{ statusCodes: [700] }, /"retry.statusCodes"/],
    [{ statusCodes: '503' }, /"retry.statusCodes"/],
    [{ methods: ['GET X'] }, /"retry.methods"/],
    [{ networkErrors: 'yes' }, /"retry.networkErrors"/],
    [{ backoff: { initial: -1 } }, /"retry.backoff.initial"/],
    [{ backoff: { factor: 0.5 } }, /"retry.backoff.factor"/],
    [{ backoff: { jitter: 'random' } }, /"retry.backoff.jitter"/],
    [{ backoff: { initial: 5000, max: 1000 } }, /"retry.backoff.max" must be at least retry.backoff.initial/],
    [{ maxRetryAfter: Number.POSITIVE_INFINITY }, /"retry.maxRetryAfter"/],
    [{ budget: { ratio: -1 } }, /"retry.budget.ratio"/],
    [{ budget: { window: 0 } }, /"retry.budget.window"/],
    [{ shouldRetry: 'no' }, /"retry.shouldRetry"/],
    [{ onRetry: 1 }, /"retry.onRetry"/],
    ['always', /"retry" must be an object/],
  ])('%j throws', (options, message) => {
    expect(() => resolve(options)).toThrow(TypeError)
    expect(() => resolve(options)).toThrow(message)
  })

  it('merges field by field and upper-cases methods', () => {
    const policy = resolve({ methods: ['get', 'post'], backoff: { max: 500 } })
    if (policy === false) throw new Error('off')
    expect([...policy.methods]).toEqual(['GET', 'POST'])
    expect(policy.backoff).toEqual({ initial: 300, max: 500, factor: 2, jitter: 'full' })
    expect(policy.limit).toBe(2)
  })

  it('false turns retries off, and a request can turn them back on', () => {
    expect(resolve(false)).toBe(false)
    expect(resolveRetryPolicy({ limit: 1 }, false)).toMatchObject({
      limit: 1,
      statusCodes: new Set([429, 502, 503, 504]),
    })
  })
})

describe('methodAllowsRetry', () => {
  const post = (code: string) =>
    methodAllowsRetry(
      'POST',
      new Headers(),
      failureOutcome(new URL('http://a.test/'), { kind: 'network-error', code } as never),
      DEFAULT_RETRY_POLICY,
    )

  it('lets a POST be sent again when nothing of it could have left: no connection was made', () => {
    for (const code of [
      'ECONNREFUSED',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'EAI_AGAIN',
      'UND_ERR_CONNECT_TIMEOUT',
    ]) {
      expect([code, post(code)]).toEqual([code, true])
    }
  })

  it('not when the connection broke after it may have been written', () => {
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT']) {
      expect([code, post(code)]).toEqual([code, false])
    }
  })
})
