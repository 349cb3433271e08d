import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatTimeLeft, parseTimeLeft } from '../../src/http/deadline-header.ts'

describe('the time left on the wire', () => {
  it('reads whole milliseconds, and gRPC timeouts in each unit', () => {
    expect(parseTimeLeft('x-timeout-ms', '150')).toBe(150)
    expect(parseTimeLeft('x-timeout-ms', ' 0 ')).toBe(0)
    expect(parseTimeLeft('grpc-timeout', '150m')).toBe(150)
    expect(parseTimeLeft('Grpc-Timeout', '2S')).toBe(2_000)
    expect(parseTimeLeft('grpc-timeout', '1M')).toBe(60_000)
    expect(parseTimeLeft('grpc-timeout', '1H')).toBe(3_600_000)
    expect(parseTimeLeft('grpc-timeout', '2500u')).toBe(2.5)
    expect(parseTimeLeft('grpc-timeout', '1000000n')).toBe(1)
  })

  it('takes nothing unclear as a deadline: a malformed value is no deadline, never zero', () => {
    for (const value of [
      '',
      '-5',
      '1.5',
      '1e3',
      '10, 20',
      'soon',
      '0x10',
      '1s',
      '123456789m',
      null,
      undefined,
    ]) {
      const name = typeof value === 'string' && /[a-z]$/i.test(value) ? 'grpc-timeout' : 'x-timeout-ms'
      expect(parseTimeLeft(name, value)).toBeNull()
      expect(parseTimeLeft('grpc-timeout', value)).toBeNull()
    }
  })

  it('never throws, and reads a finite non-negative number or nothing (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('grpc-timeout', 'x-budget'), fc.string(), (name, value) => {
        const ms = parseTimeLeft(name, value)
        expect(ms === null || (Number.isFinite(ms) && ms >= 0)).toBe(true)
      }),
    )
  })

  it('writes what it reads back as no more than the time there is, within its unit (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('grpc-timeout', 'x-budget'),
        fc.double({ min: 0, max: 1e13, noNaN: true }),
        (name, ms) => {
          const back = parseTimeLeft(name, formatTimeLeft(name, ms)) as number
          expect(back).not.toBeNull()
          expect(back).toBeLessThanOrEqual(ms)
          // Milliseconds to 27 hours, then seconds, then hours (gRPC's eight digits).
          const unit = name === 'x-budget' || ms < 1e8 ? 1 : ms < 1e11 ? 1_000 : 3_600_000
          expect(ms - back).toBeLessThan(unit)
        },
      ),
    )
  })
})
