/** The bench's processes: the origin in one of its own, and each client in one of its own. */
import { type ChildProcess, fork, spawn } from 'node:child_process'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { ClientName } from './clients.ts'
import type { Answer, Figures, Order } from './worker.ts'

const here = import.meta.dirname

export interface Origin {
  readonly url: string
  readonly child: ChildProcess
  readonly pid: number
}

export async function startOrigin(): Promise<Origin> {
  const child = spawn(process.execPath, [join(here, 'origin.ts')], { stdio: ['pipe', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve) =>
    child.stdout?.once('data', (data) => resolve(String(data).trim())),
  )
  return { url: `http://127.0.0.1:${port}`, child, pid: child.pid ?? 0 }
}

/**
 * For a bench whose upstream runs its own script in a child process (`--upstream`): in the
 * child, `server` listening on loopback with its port told to the parent, exiting with it.
 */
export async function serveToParent(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.send?.((server.address() as AddressInfo).port)
  process.on('disconnect', () => process.exit(0))
}

/** In the parent: `script` forked with `--upstream`, and the origin it serves (`serveToParent`). */
export async function forkUpstream(
  script: string,
): Promise<{ readonly origin: string; readonly stop: () => void }> {
  const child = fork(script, ['--upstream'], { execArgv: ['--disable-warning=ExperimentalWarning'] })
  const port = await new Promise<number>((resolve) =>
    child.once('message', (message) => resolve(Number(message))),
  )
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.disconnect() }
}

/** A client's process, warm between the slices it is asked to measure (bench/worker.ts). */
export class ClientWorker {
  readonly client: ClientName
  readonly #child: ChildProcess
  readonly #ready: Promise<unknown>
  #waiting: ((answer: Answer) => void) | null = null

  constructor(client: ClientName, origin: Origin) {
    this.client = client
    this.#child = fork(join(here, 'worker.ts'), [client, origin.url], {
      env: { ...process.env, BENCH_ORIGIN_PID: String(origin.pid) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.#ready = this.#next()
    this.#child.on('message', (answer: Answer) => {
      const waiting = this.#waiting
      this.#waiting = null
      waiting?.(answer)
    })
    this.#child.on('exit', (code) => {
      if (code) throw new Error(`bench worker ${client} exited ${code}`)
    })
  }

  /** Warms `scenario` for `ms`; its figures are for the probes alone. */
  async warm(scenario: string, ms: number): Promise<Figures> {
    return (await this.#ask({ type: 'warm', scenario, ms })).figures as Figures
  }

  async measure(scenario: string, ms: number): Promise<Figures> {
    return (await this.#ask({ type: 'measure', scenario, ms })).figures as Figures
  }

  /** Origin requests per call in a full outage; ask it of a worker that has sent nothing yet. */
  async outage(): Promise<number> {
    return (await this.#ask({ type: 'outage' })).outagePerCall as number
  }

  /** The resident memory the worker reported with its last answer. */
  rssMiB = 0

  close(): void {
    this.#child.kill()
  }

  async #ask(order: Order): Promise<Answer> {
    await this.#ready
    const answered = this.#next()
    this.#child.send(order)
    const answer = await answered
    this.rssMiB = answer.rssMiB
    return answer
  }

  #next(): Promise<Answer> {
    return new Promise((resolve) => {
      this.#waiting = resolve
    })
  }
}
