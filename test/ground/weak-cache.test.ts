import { describe, expect, it } from 'vitest'
import { WeakCache } from '../../src/ground/weak-cache.ts'

describe('WeakCache', () => {
  it('keeps a value only from the second time one is set for its key', () => {
    const cache = new WeakCache<object, string>()
    const key = {}
    cache.set(key, 'first')
    expect(cache.get(key)).toBeUndefined()
    cache.set(key, 'second')
    expect(cache.get(key)).toBe('second')
    cache.set(key, 'third')
    expect(cache.get(key)).toBe('third')
  })

  it('counts the sets of each key apart', () => {
    const cache = new WeakCache<object, number>()
    const [a, b] = [{}, {}]
    cache.set(a, 1)
    cache.set(b, 2)
    expect([cache.get(a), cache.get(b)]).toEqual([undefined, undefined])
    cache.set(b, 3)
    expect([cache.get(a), cache.get(b)]).toEqual([undefined, 3])
  })
})
