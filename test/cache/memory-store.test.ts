import { describe, expect, it } from 'vitest'
import { type CacheEntry, MemoryStore } from '../../src/index.ts'

function entry(size: number): CacheEntry {
  return {
    policy: {} as CacheEntry['policy'],
    status: 200,
    statusText: 'OK',
    body: new Uint8Array(0),
    vary: {},
    credentials: '',
    size,
  }
}

describe('MemoryStore', () => {
  it('never holds more bytes than maxSize, however it is overfilled', async () => {
    const store = new MemoryStore({ maxSize: 10_000, maxEntrySize: 3_000 })
    for (let i = 0; i < 500; i++) {
      await store.set(`k${i % 37}`, entry(100 + ((i * 7919) % 2_900)))
      expect(store.size).toBeLessThanOrEqual(10_000)
    }
    expect(store.count).toBeGreaterThan(0)
  })

  it('evicts the least recently used first', async () => {
    const store = new MemoryStore({ maxSize: 300, maxEntrySize: 300 })
    await store.set('a', entry(100))
    await store.set('b', entry(100))
    await store.set('c', entry(100))
    await store.get('a')
    await store.set('d', entry(100))
    expect(await store.get('b')).toBeUndefined()
    expect(await store.get('a')).toBeDefined()
    expect(await store.get('c')).toBeDefined()
    expect(await store.get('d')).toBeDefined()
  })

  it('does not store an entry over maxEntrySize, and drops the old one under its key', async () => {
    const store = new MemoryStore({ maxSize: 1000, maxEntrySize: 200 })
    await store.set('k', entry(100))
    await store.set('k', entry(201))
    expect(await store.get('k')).toBeUndefined()
    expect(store.size).toBe(0)
  })

  it('replacing an entry counts its size once', async () => {
    const store = new MemoryStore({ maxSize: 1000 })
    await store.set('k', entry(400))
    await store.set('k', entry(500))
    expect(store.size).toBe(500)
    await store.delete('k')
    expect(store.size).toBe(0)
  })

  it('rejects a bad bound', () => {
    expect(() => new MemoryStore({ maxSize: -1 })).toThrow(TypeError)
    expect(() => new MemoryStore({ maxEntrySize: 1.5 })).toThrow(/maxEntrySize/)
  })
})
