/** The `fetchkind` command: the process around runCli — its streams, its terminal, its signals. */
import { readFileSync } from 'node:fs'
import { styleText } from 'node:util'
import { SIGNAL_EXIT } from './exit-codes.ts'
import type { Style } from './render.ts'
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

const controller = new AbortController()
let signalled: string | null = null
// Ctrl-C (or SIGTERM) ends the call as `aborted` and exits 130 (143) once its summary is written,
// instead of killing it mid-write; a second one kills.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    signalled = signal
    controller.abort('interrupted')
  })
}

// Colour on a terminal only; NO_COLOR and FORCE_COLOR decide over it, as styleText reads them.
const style: Style = (format, text) => styleText(format, text, { stream: process.stderr })

const status = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdoutIsTerminal: Boolean(process.stdout.isTTY),
  style,
  version: ownVersion(),
  signal: controller.signal,
  abortedStatus: () => SIGNAL_EXIT[signalled ?? 'SIGINT'] ?? 130,
})
process.exitCode = status
