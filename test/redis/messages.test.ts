/** The messages cooldowns and breakers' news travel in over pub/sub: made and read back, garbage refused. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { breakerMessage, breakerNews } from '../../src/redis/breakers.ts'
import { cooldownFromMessage, cooldownMessage } from '../../src/redis/mirror.ts'
import { MAX_COOLDOWN } from '../../src/retry/limits.ts'

describe('breaker messages', () => {
  it('read back what was sent, whatever the key (property)', () => {
    const news = fc.oneof(
      fc.record({ state: fc.constant('open' as const), ms: fc.integer({ min: 1, max: 2 ** 40 }) }),
      fc.constant({ state: 'closed' as const }),
    )
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), news, (key, sent) => {
        expect(breakerNews(breakerMessage(key, sent))).toEqual({ key, news: sent })
      }),
    )
  })

  it('anything else is null, never a throw and never an open break of no length (property)', () => {
    fc.assert(
      fc.property(fc.string(), (message) => {
        const read = breakerNews(message)
        if (read === null) return
        expect(read.key.length).toBeGreaterThan(0)
        if (read.news.state === 'open') expect(read.news.ms).toBeGreaterThan(0)
      }),
    )
    expect(breakerNews('open\n0\nhttp://a.test')).toBeNull()
    expect(breakerNews('open\nsoon\nhttp://a.test')).toBeNull()
    expect(breakerNews('open\nInfinity\nhttp://a.test')).toBeNull()
    expect(breakerNews('half-open\n5\nhttp://a.test')).toBeNull()
    expect(breakerNews('closed\n0')).toBeNull()
  })
})

describe('cooldown messages', () => {
  it('read back what was sent, whatever the key (property)', () => {
    const cooldown = fc.record({
      status: fc.constantFrom(429 as const, 503 as const),
      ms: fc.integer({ min: 1, max: 2 ** 40 }),
    })
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), cooldown, (key, sent) => {
        // Held no longer than a replica would set one itself (issue 43).
        const held = { ...sent, ms: Math.min(sent.ms, MAX_COOLDOWN) }
        expect(cooldownFromMessage(cooldownMessage(key, sent))).toEqual({ key, cooldown: held })
      }),
    )
  })

  it('anything else is null: no cooldown without end, of another status, or of no key', () => {
    fc.assert(
      fc.property(fc.string(), (message) => {
        const read = cooldownFromMessage(message)
        if (read) expect(Number.isSafeInteger(read.cooldown.ms) && read.cooldown.ms > 0).toBe(true)
      }),
    )
    expect(cooldownFromMessage('429\nInfinity\nhttp://a.test')).toBeNull()
    expect(cooldownFromMessage('500\n1000\nhttp://a.test')).toBeNull()
    expect(cooldownFromMessage('429\n1000')).toBeNull()
  })
})
