/** The `fetchkind` command. */
import { readFileSync } from 'node:fs'
import { runCli } from './run.ts'

/** fetchkind's own package.json: beside dist/ when installed, two levels up in the sources. */
function ownVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === 'fetchkind' && pkg.version) return pkg.version
    } catch {
      // Not here; try the next.
    }
  }
  return 'unknown'
}

const version = ownVersion()
const controller = new AbortController()
// Ctrl-C ends the call as `aborted` (exit 8) instead of killing it mid-write; a second one kills.
process.once('SIGINT', () => controller.abort('interrupted'))

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  colour: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
  version,
  signal: controller.signal,
})
process.exitCode = status
