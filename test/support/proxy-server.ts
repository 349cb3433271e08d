/**
 * A real forward proxy, tinyproxy from Debian's packages, on a loopback port: plain http requests
 * forwarded (with a Via header, so that the origin can tell), https ones tunnelled with CONNECT.
 * CI installs it (.ci/run); on a machine without it the tests are skipped, saying so, and under
 * CI=true they fail instead.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closedPort } from './loopback-origin.ts'

export const TINYPROXY = ['/usr/bin/tinyproxy', '/usr/sbin/tinyproxy', '/usr/local/bin/tinyproxy'].find(
  (path) => existsSync(path),
)

/** Throws under CI without tinyproxy; elsewhere warns that `file`'s proxy tests are skipped. */
export function requireTinyproxy(file: string): void {
  if (TINYPROXY) return
  if (process.env.CI) throw new Error('tinyproxy is not installed, and CI must run these tests: see .ci/run')
  console.warn(`${file}: tinyproxy is not installed here; skipping the proxy tests (CI runs them)`)
}

export class ProxyServer {
  readonly port: number
  readonly #process: ChildProcess
  readonly #dir: string

  private constructor(port: number, process: ChildProcess, dir: string) {
    this.port = port
    this.#process = process
    this.#dir = dir
  }

  /** tinyproxy on a free port; with `credentials` (`user:password`), requests without them get a 407. */
  static async start(credentials?: string): Promise<ProxyServer> {
    const port = await closedPort()
    const dir = mkdtempSync(join(tmpdir(), 'fetchkind-proxy-'))
    const config = [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      'MaxClients 64',
      'Allow 127.0.0.1',
      'LogLevel Error',
      // No ConnectPort line: CONNECT to any port, as the tests' origins have random ones.
      ...(credentials ? [`BasicAuth ${credentials.replace(':', ' ')}`] : []),
    ]
    writeFileSync(join(dir, 'tinyproxy.conf'), `${config.join('\n')}\n`)
    const process = spawn(TINYPROXY as string, ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' })
    const server = new ProxyServer(port, process, dir)
    for (let i = 0; i < 100; i++) {
      if (await accepts(port)) return server
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await server.stop()
    throw new Error('tinyproxy did not start')
  }

  url(credentials?: string): string {
    return `http://${credentials ? `${credentials}@` : ''}127.0.0.1:${this.port}`
  }

  async stop(): Promise<void> {
    if (this.#process.exitCode === null && this.#process.signalCode === null) {
      const exited = new Promise((resolve) => this.#process.once('exit', resolve))
      this.#process.kill()
      await exited
    }
    rmSync(this.#dir, { recursive: true, force: true })
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => resolve(true))
    socket.once('error', () => resolve(false))
    socket.once('connect', () => socket.end())
  })
}
