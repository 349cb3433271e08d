/**
 * The built `fetchkind` command, as a user runs it: built once per test file with the project's
 * own tsup settings (into a directory of its own, so that it never races another file's build),
 * then run as a real process with real streams.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build, type Options } from 'tsup'

const root = resolve(import.meta.dirname, '..', '..')

/** Builds dist/cli.js into a fresh directory (beside a copy of package.json, for --version); its path. */
export async function buildCli(): Promise<{ cli: string; remove: () => void }> {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true })
  const dir = mkdtempSync(join(root, 'node_modules', '.cache', 'fetchkind-cli-'))
  const { default: project } = (await import(join(root, 'tsup.config.ts'))) as { default: Options }
  const { onSuccess: _shebang, ...config } = project
  // The library's entries too: the command shares their chunks. No declarations, and no shebang
  // step (it writes the package's own dist): the tests run the command with node.
  await build({
    ...config,
    outDir: join(dir, 'dist'),
    dts: false,
    config: false,
    silent: true,
  })
  copyFileSync(join(root, 'package.json'), join(dir, 'package.json'))
  return { cli: join(dir, 'dist', 'cli.js'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface Run {
  readonly status: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: Buffer
  readonly stderr: string
}

export interface RunOptions {
  readonly input?: string | Uint8Array
  readonly env?: Record<string, string | undefined>
  /** Called once the process is running, with a way to signal it. */
  readonly started?: (kill: (signal: NodeJS.Signals) => void) => void
  readonly cwd?: string
}

/** Runs `node cli.js ...args`, stdin from `input` (or closed), piped stdout and stderr. */
export function runCommand(cli: string, args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env }
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
    cwd: options.cwd ?? root,
  })
  const stdout: Buffer[] = []
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
  })
  child.stdin.end(options.input ?? '')
  options.started?.((signal) => child.kill(signal))
  return new Promise((done) =>
    child.on('close', (status, signal) => done({ status, signal, stdout: Buffer.concat(stdout), stderr })),
  )
}
