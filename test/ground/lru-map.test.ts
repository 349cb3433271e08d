import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LruMap } from '../../src/ground/lru-map.ts'

describe('LruMap', () => {
  it('forgets the least recently used past its count; get counts as a use, peek does not', () => {
    const map = new LruMap<string, number>(2)
    map.set('a', 1)
    map.set('b', 2)
    expect(map.get('a')).toBe(1) // a is now the most recently used
    expect(map.peek('b')).toBe(2) // b stays the least
    map.set('c', 3)
    expect([map.peek('a'), map.peek('b'), map.peek('c')]).toEqual([1, undefined, 3])
  })

  it('forgets in the order a plain list of recent uses would, whatever is set, read and deleted (property)', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd')
    const operation = fc.oneof(fc.record({ set: key }), fc.record({ get: key }), fc.record({ delete: key }))
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), (operations) => {
        const map = new LruMap<string, string>(3)
        let model: string[] = [] // least recently used first
        for (const step of operations) {
          if ('set' in step) {
            map.set(step.set, step.set)
            model = [...model.filter((k) => k !== step.set), step.set].slice(-3)
          } else if ('get' in step) {
            expect(map.get(step.get)).toBe(model.includes(step.get) ? step.get : undefined)
            if (model.includes(step.get)) model = [...model.filter((k) => k !== step.get), step.get]
          } else {
            map.delete(step.delete)
            model = model.filter((k) => k !== step.delete)
          }
          for (const k of ['a', 'b', 'c', 'd']) expect(map.peek(k)).toBe(model.includes(k) ? k : undefined)
        }
      }),
      { numRuns: 5_000 },
    )
  })

  it('never weighs more than its limit, whatever is set and deleted, and keeps the newest that fits', () => {
    const operation = fc.oneof(
      fc.record({ set: fc.constantFrom('a', 'b', 'c', 'd', 'e'), weight: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ delete: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
    )
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const map = new LruMap<string, number>(100, (weight) => weight)
        for (const step of operations) {
          if ('set' in step) {
            map.set(step.set, step.weight)
            expect(map.peek(step.set)).toBe(step.weight)
          } else {
            map.delete(step.delete)
            expect(map.peek(step.delete)).toBeUndefined()
          }
          expect(map.weight).toBeLessThanOrEqual(100)
          expect(map.weight).toBeGreaterThanOrEqual(0)
        }
      }),
      { numRuns: 2_000 },
    )
  })
})
