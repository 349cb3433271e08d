/**
 * A replica of a service as its own Node process (test/support/replica.ts), driven by a test: it
 * makes the calls asked of it through its fetchkind client, whose stores are on a shared Redis
 * (a single server or a Cluster), and answers with a summary of each result.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { expect, vi } from 'vitest'
import type { CooldownNote, StoreFallback } from '../../src/diagnostics.ts'

export interface CallSummary {
  readonly kind: string
  readonly status: number | null
  readonly reason: string | null
  readonly cache: string
  readonly attempts: number
  readonly cooldown: CooldownNote | null
  readonly storeFallbacks: readonly StoreFallback[]
  readonly retryStop: string | null
  readonly duration: number
}

export interface CallOptions {
  /** Calls to make (default 1), one after another `pause` ms apart, or all at once (`concurrent`). */
  readonly count?: number
  readonly pause?: number
  readonly concurrent?: boolean
  readonly retry?: object
  /** A rate limit kept on the Redis. */
  readonly rateLimit?: object
  /** A circuit breaker shared on the Redis. */
  readonly circuitBreaker?: object
}

export interface ReplicaOptions {
  /** Whether the port is a Cluster node's, the client then a cluster client. Default false. */
  readonly cluster?: boolean
  /** The stores' Redis command timeout, ms. Default 1 000. */
  readonly timeout?: number
}

export class Replica {
  readonly #process: ChildProcess
  readonly #baseUrl: string
  readonly #waiting = new Map<number, { resolve(results: CallSummary[]): void; reject(error: Error): void }>()
  #next = 0

  /** A replica on the Redis at `redisPort`; paths it is given are of `baseUrl`. */
  constructor(redisPort: number, baseUrl: string, { cluster = false, timeout = 1_000 }: ReplicaOptions = {}) {
    this.#baseUrl = baseUrl
    this.#process = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        'test/support/replica.ts',
        String(redisPort),
        cluster ? 'cluster' : 'single',
        String(timeout),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    )
    createInterface({ input: this.#process.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const { id, results } = JSON.parse(line) as { id: number; results: CallSummary[] }
      this.#waiting.get(id)?.resolve(results)
      this.#waiting.delete(id)
    })
    this.#process.once('exit', (code) => {
      for (const { reject } of this.#waiting.values()) reject(new Error(`replica exited with ${code}`))
      this.#waiting.clear()
    })
  }

  /** The calls asked for, to `path` (a URL, or a path of the base URL); their results, summarised. */
  calls(path: string, options: CallOptions = {}): Promise<CallSummary[]> {
    const id = this.#next++
    return new Promise<CallSummary[]>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject })
      const url = path.startsWith('http') ? path : this.#baseUrl + path
      const { count = 1, pause = 0, ...rest } = options
      this.#process.stdin?.write(`${JSON.stringify({ id, url, count, pause, ...rest })}\n`)
    })
  }

  async call(path: string, options: Omit<CallOptions, 'count'> = {}): Promise<CallSummary> {
    return (await this.calls(path, options))[0] as CallSummary
  }

  stop(): void {
    this.#process.stdin?.end()
  }
}

/**
 * Every replica calls `path` at once, past a breaker's break: the origin holds the one probe that
 * reaches it (`held`) until the other calls have answered, then lets it go; their results.
 */
export async function probeRound(
  replicas: readonly Replica[],
  path: string,
  options: CallOptions,
  held: (() => void)[],
): Promise<CallSummary[]> {
  const settled: CallSummary[] = []
  const calls = replicas.map((replica) =>
    replica.call(path, options).then((result) => {
      settled.push(result)
      return result
    }),
  )
  await vi.waitFor(
    () => {
      expect(held).toHaveLength(1)
      expect(settled).toHaveLength(replicas.length - 1)
    },
    { timeout: 10_000, interval: 20 },
  )
  held.shift()?.()
  return Promise.all(calls)
}
