/**
 * A bulkhead: at most `maxConcurrent` calls in flight, `maxQueued` more waiting their turn in
 * order, the rest refused at once — so that one slow upstream cannot take every socket, every
 * memory buffer and every event-loop turn of the service.
 *
 * The settings are read at each turn, not once: the adaptive concurrency policy's limit moves
 * with what it measures (it calls `admit` when the limit rises), a static bulkhead's never does.
 */

export interface BulkheadSettings {
  readonly maxConcurrent: number
  readonly maxQueued: number
}

export class Bulkhead {
  readonly #settings: BulkheadSettings
  #running = 0
  readonly #queue: (() => void)[] = []

  constructor(settings: BulkheadSettings) {
    this.#settings = settings
  }

  /**
   * A slot's release: at once when one is free, a promise of it when the call must queue, `null`
   * when the queue is full too — so that a caller can tell a turn given at once from a wait. The
   * promise rejects with the signal's reason if it aborts while queued, and the place is given up.
   */
  acquire(signal: AbortSignal): (() => void) | Promise<() => void> | null {
    if (this.#running < this.#settings.maxConcurrent) {
      this.#running += 1
      return this.#releaser()
    }
    if (this.#queue.length >= this.#settings.maxQueued) return null
    return new Promise((resolve, reject) => {
      const turn = () => {
        signal.removeEventListener('abort', onAbort)
        this.#running += 1
        resolve(this.#releaser())
      }
      const onAbort = () => {
        const index = this.#queue.indexOf(turn)
        if (index >= 0) this.#queue.splice(index, 1)
        reject(signal.reason)
      }
      this.#queue.push(turn)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** The calls in flight. */
  get running(): number {
    return this.#running
  }

  /** Whether nothing runs or waits: a bulkhead in that state can be forgotten. */
  get idle(): boolean {
    return this.#running === 0 && this.#queue.length === 0
  }

  /** Gives queued calls their turns while slots are free: after a release, or a limit raised. */
  admit(): void {
    while (this.#running < this.#settings.maxConcurrent) {
      const turn = this.#queue.shift()
      if (!turn) return
      turn()
    }
  }

  #releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      this.#running -= 1
      this.admit()
    }
  }
}
