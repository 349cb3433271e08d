/**
 * Whether a store sends its commands to Redis now, or steps aside: around the whole store, and
 * around each hash slot. A breaker counts the commands' outcomes (half of at least five failing
 * within ten seconds opens it), and a few failures in a row open it at once: under load a stalled
 * Redis fails only a sliver of the window's commands before the ratio notices, and each call in
 * that time waited out the timeout. Once open, Redis is probed in the background, one cheap
 * command at a time, and the gate closes when one is answered: no call is the probe, and none
 * waits for a Redis that is still away.
 */
import { CircuitBreaker } from '../resilience/breaker.ts'

/** The breaker's settings, around the whole store and around each hash slot. */
const BREAKER = {
  failureRatio: 0.5,
  minimumThroughput: 5,
  samplingDuration: 10_000,
  breakDuration: 5_000,
  halfOpenProbes: 1,
}

/** Failures in a row that open the gate whatever the window holds. */
export const FAILURES_IN_A_ROW = 3
/** How often an open gate probes Redis, ms. */
export const PROBE_INTERVAL = 250

/** Sends one cheap command to `key`'s node; rejects when Redis does not answer. */
export type Probe = (key: string) => Promise<unknown>

/**
 * Which key a gate probes with. A slot's gate asks the node that failed (`'failed'`); the whole
 * store's asks the node that last answered (`'answered'`), so that on a Cluster that lost one
 * master the store's gate opens again at the next probe and leaves that master's slots to their
 * own gates — on a single Redis the two are one node.
 */
export type ProbeTarget = 'failed' | 'answered'

export class RedisGate {
  readonly #breaker = new CircuitBreaker(BREAKER)
  readonly #probe: Probe
  readonly #target: ProbeTarget
  readonly #quiet: number
  #inARow = 0
  #failedKey = ''
  #answeredKey: string | null = null
  #answeredAt = Number.NEGATIVE_INFINITY
  #probing = false

  /**
   * Failures in a row close the gate only once nothing has answered for `quiet` ms: the whole
   * store's gate is given the command timeout, so that on a Cluster that lost one master — whose
   * commands fail in rows while the others' answer between them — it stays open and leaves that
   * master's slots to their own gates (0: a slot is one node's).
   */
  constructor(probe: Probe, target: ProbeTarget, quiet = 0) {
    this.#probe = probe
    this.#target = target
    this.#quiet = quiet
  }

  /** `null` when a command may go now; else when the gate will let one go (ms since the epoch). */
  closedUntil(now: number): number | null {
    const { admission } = this.#breaker.admit(now)
    if (admission.admitted) {
      // A probe a call would have sent: the background one stands for it.
      this.#breaker.giveBack(admission.probe)
      if (!admission.probe) return null
    }
    return admission.admitted ? now + PROBE_INTERVAL : admission.retryAt
  }

  /** A command's outcome. */
  record(failed: boolean, key: string, now: number): void {
    if (failed) this.#failedKey = key
    else {
      this.#answeredKey = key
      this.#answeredAt = now
    }
    if (this.#breaker.state(now) !== 'closed') return
    this.#inARow = failed ? this.#inARow + 1 : 0
    this.#breaker.record(failed, false, now)
    if (failed && this.#inARow >= FAILURES_IN_A_ROW && now - this.#answeredAt >= this.#quiet) {
      this.#breaker.trip(now + BREAKER.breakDuration, now)
    }
    if (this.#breaker.state(now) === 'open') this.#startProbing()
  }

  #startProbing(): void {
    if (this.#probing) return
    this.#probing = true
    const probe = () => {
      const key = this.#target === 'answered' ? (this.#answeredKey ?? this.#failedKey) : this.#failedKey
      this.#probe(key).then(
        () => {
          this.#probing = false
          this.#inARow = 0
          this.#breaker.reset(Date.now())
        },
        () => {
          // Still away: the break goes on, so that no call is let through to find out.
          const now = Date.now()
          this.#breaker.trip(now + BREAKER.breakDuration, now)
          // Unreferenced: a store must never keep its process alive.
          setTimeout(probe, PROBE_INTERVAL).unref()
        },
      )
    }
    setTimeout(probe, PROBE_INTERVAL).unref()
  }
}
