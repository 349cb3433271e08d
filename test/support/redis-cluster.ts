/**
 * A real Redis Cluster of three masters on loopback ports, made from Debian's redis-server with
 * `cluster-enabled yes` and joined with `redis-cli --cluster create`, as .ci/run's machine has
 * them. Each master can be stopped on its own, to see a cluster lose a node mid-run.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closedPort } from './loopback-origin.ts'
import { REDIS_SERVER } from './redis-server.ts'

export const REDIS_CLI = ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli'].find((path) => existsSync(path))

export class RedisCluster {
  readonly ports: readonly number[]
  readonly #processes: ChildProcess[]
  readonly #dir: string

  private constructor(ports: number[], processes: ChildProcess[], dir: string) {
    this.ports = ports
    this.#processes = processes
    this.#dir = dir
  }

  static async start(): Promise<RedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'fetchkind-cluster-'))
    const ports = [await closedPort(), await closedPort(), await closedPort()]
    const processes = ports.map((port) =>
      spawn(
        REDIS_SERVER as string,
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      ),
    )
    const cluster = new RedisCluster(ports, processes, dir)
    for (const port of ports) await until(() => cli(port, 'ping').trim() === 'PONG')
    execFileSync(
      REDIS_CLI as string,
      [
        '--cluster',
        'create',
        ...ports.map((port) => `127.0.0.1:${port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { stdio: 'pipe' },
    )
    for (const port of ports) await until(() => cli(port, 'cluster', 'info').includes('cluster_state:ok'))
    return cluster
  }

  /** The hash slots the master on `port` serves, as ranges from `CLUSTER NODES`. */
  slotsOf(port: number): (readonly [number, number])[] {
    const own =
      cli(port, 'cluster', 'nodes')
        .split('\n')
        .find((line) => line.includes('myself')) ?? ''
    // Fields 9 on: a slot ("42") or a range ("0-5460"); "[…]" entries are slots in migration.
    return own
      .split(' ')
      .slice(8)
      .filter((field) => /^\d+(-\d+)?$/.test(field))
      .map((field) => {
        const [from, to = from] = field.split('-').map(Number) as [number, number?]
        return [from, to] as const
      })
  }

  /** Stops the master on `port` at once, as a crash would. */
  stopNode(port: number): void {
    this.#processes[this.ports.indexOf(port)]?.kill('SIGKILL')
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.#processes.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGKILL')
        return exited
      }),
    )
    rmSync(this.#dir, { recursive: true, force: true })
  }
}

/** redis-cli against the node on `port`: its output. */
function cli(port: number, ...args: string[]): string {
  return execFileSync(REDIS_CLI as string, ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
    stdio: 'pipe',
  })
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if (check()) return
    } catch {
      // Not up yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('the Redis Cluster did not come up')
}
