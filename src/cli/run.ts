/** The CLI as a function of its arguments and streams, so that tests run it without a process. */
import { createClient } from '../client.ts'
import { type Invocation, parseCommandLine, USAGE } from './args.ts'
import { EXIT_CODES } from './exit-codes.ts'
import { bodyOutput, COLOURS, details, PLAIN, resultJson, summary } from './render.ts'

export interface CliIo {
  readonly stdout: { write(chunk: string | Uint8Array): unknown }
  readonly stderr: { write(chunk: string): unknown }
  /** Colour only on a terminal that has not asked for none. */
  readonly colour: boolean
  readonly version: string
  /** Aborts the call (Ctrl-C). */
  readonly signal?: AbortSignal
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv)
  switch (parsed.type) {
    case 'help':
      io.stdout.write(`${USAGE}\n`)
      return 0
    case 'version':
      io.stdout.write(`${io.version}\n`)
      return 0
    case 'usage-error':
      io.stderr.write(`fetchkind: ${parsed.message}\n\n${USAGE}\n`)
      return EXIT_CODES.usage
    case 'run':
      return send(parsed.invocation, io)
  }
}

async function send({ url, init, jsonOutput, verbose }: Invocation, io: CliIo): Promise<number> {
  const palette = io.colour ? COLOURS : PLAIN
  let pending: ReturnType<ReturnType<typeof createClient>['request']>
  try {
    pending = createClient().request(url, { ...init, ...(io.signal ? { signal: io.signal } : {}) })
  } catch (error) {
    // A bad URL or header: the options' own TypeError says which.
    io.stderr.write(`fetchkind: ${(error as Error).message.replace(/^fetchkind: /, '')}\n\n${USAGE}\n`)
    return EXIT_CODES.usage
  }
  const result = await pending
  if (jsonOutput) {
    io.stdout.write(resultJson(result))
  } else {
    const body = bodyOutput(result)
    if (body !== null) io.stdout.write(body)
    io.stderr.write(`${summary(result, palette)}\n`)
    if (verbose) io.stderr.write(`${details(result, palette).join('\n')}\n`)
  }
  return EXIT_CODES[result.kind]
}
