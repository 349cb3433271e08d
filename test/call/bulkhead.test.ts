/** The bulkhead: at most maxConcurrent in flight, maxQueued waiting in order, the rest refused. */
import { describe, expect, it } from 'vitest'
import { Bulkhead } from '../../src/call/bulkhead.ts'

const never = new AbortController().signal

/** An acquire that had to queue: its promise (anything else fails the test). */
function queued(slot: ReturnType<Bulkhead['acquire']>): Promise<() => void> {
  expect(slot).toBeInstanceOf(Promise)
  return slot as Promise<() => void>
}

describe('Bulkhead', () => {
  it('admits maxConcurrent at once, queues maxQueued in order, refuses the rest', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 2 })
    // A free slot is given at once, not as a promise: the caller can tell it from a wait.
    const first = bulkhead.acquire(never)
    expect(first).toBeTypeOf('function')
    const order: string[] = []
    const inTurn = (name: string) => (release: () => void) => {
      order.push(name)
      return release
    }
    const second = queued(bulkhead.acquire(never)).then(inTurn('second'))
    const third = queued(bulkhead.acquire(never)).then(inTurn('third'))
    expect(bulkhead.acquire(never)).toBeNull()
    ;(first as () => void)()
    ;(await second)()
    ;(await third)()
    expect(order).toEqual(['second', 'third'])
    expect(bulkhead.idle).toBe(true)
  })

  it('a caller who gives up while queued leaves the queue, and its place goes to the next', async () => {
    const bulkhead = new Bulkhead({ maxConcurrent: 1, maxQueued: 2 })
    const first = await bulkhead.acquire(never)
    const quitter = new AbortController()
    const gaveUp = bulkhead.acquire(quitter.signal)
    const next = bulkhead.acquire(never)
    quitter.abort(new Error('gave up'))
    await expect(gaveUp).rejects.toThrow('gave up')
    first?.()
    const release = await next
    release?.()
    // A release twice frees one place, not two.
    release?.()
    expect(bulkhead.idle).toBe(true)
  })
})
