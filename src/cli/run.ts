/** The CLI as a function of its arguments and streams, so that tests can run it without a process. */
import { writeFile } from 'node:fs/promises'
import { createClient } from '../client.ts'
import { redactUrlText } from '../guard/redact.ts'
import type { Result } from '../result/types.ts'
import type { Transport } from '../transport/types.ts'
import { TransportUnavailableError } from '../transport/unavailable.ts'
import type { UndiciTransport } from '../transport/undici.ts'
import { type Invocation, parseCommandLine } from './args.ts'
import { bodyOf } from './body.ts'
import { EXIT_CODES, type ExitCodes, exitStatus } from './exit-codes.ts'
import { unmet } from './expect.ts'
import { bodyBytes, details, headLines, resultJson, type Style, summary } from './render.ts'
import { transportOf } from './transport.ts'
import { USAGE } from './usage.ts'
import { looksBinary, visible } from './visible.ts'

export interface CliIo {
  readonly stdout: { write(chunk: string | Uint8Array): unknown }
  readonly stderr: { write(chunk: string): unknown }
  /** Read for `-d @-`, `--data-binary @-` and `--json @-`. */
  readonly stdin?: AsyncIterable<Uint8Array | string>
  /** Whether stdout is a terminal: a JSON body is re-indented there unless --no-pretty. */
  readonly stdoutIsTerminal: boolean
  readonly style: Style
  readonly version: string
  /** Aborts the call (Ctrl-C). */
  readonly signal?: AbortSignal
  /** The exit status of a call the signal ended: 130 for SIGINT, 143 for SIGTERM. */
  readonly abortedStatus?: () => number
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
      return usageError(parsed.message, parsed.exitCodes, io)
    case 'run':
      return send(parsed.invocation, io)
  }
}

function usageError(message: string, mode: ExitCodes, io: CliIo): number {
  // Every message names what it refused; one that quotes a URL quotes it without a password.
  // Where help is, not the help itself, as curl does: the error stays on the screen.
  io.stderr.write(
    `fetchkind: ${visible(redactUrlText(message.replace(/^fetchkind: /, '')))}\nfetchkind: try 'fetchkind --help' for more\n`,
  )
  return exitStatus(EXIT_CODES.usage, mode)
}

async function send(invocation: Invocation, io: CliIo): Promise<number> {
  const { url, init, output, expectations, exitCodes } = invocation
  let body: Uint8Array<ArrayBuffer> | FormData | undefined
  let transport: Transport | undefined
  try {
    body = invocation.body ? await bodyOf(invocation.body, io) : undefined
    transport = await transportOf(invocation.transport, url)
  } catch (error) {
    return usageError((error as Error).message, exitCodes, io)
  }
  let pending: Promise<Result>
  try {
    pending = createClient(transport ? { transport } : {}).request(url, {
      ...init,
      ...(body ? { body } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
    })
  } catch (error) {
    // A bad URL or header: the options' own TypeError says which.
    return usageError((error as Error).message, exitCodes, io)
  }
  let result: Result
  try {
    result = await pending
  } catch (error) {
    if (!(error instanceof TransportUnavailableError)) throw error
    // Not an outage but a broken install: curl's 2, "failed to initialize", not the network's 6.
    io.stderr.write(`fetchkind: ${visible(error.message.replace(/^fetchkind: /, ''))}\n`)
    return exitStatus(EXIT_CODES.usage, exitCodes)
  }
  // Its connections closed, so that the process ends as soon as its output is written.
  if (transport && 'close' in transport) await (transport as UndiciTransport).close()

  const raw = 'data' in result && result.data instanceof Uint8Array ? result.data : null
  const failure = unmet(expectations, result, raw)
  let code = exitCode(result, expectations.length > 0, failure, io)

  if (output.jsonOutput) {
    io.stdout.write(resultJson(result))
  } else {
    const written = await writeOutput(result, invocation, io)
    if (written !== null) {
      io.stderr.write(`fetchkind: ${visible(written)}\n`)
      if (code === 0) code = 1
    }
  }
  const quiet = output.silent && !(output.showError && code !== 0)
  if (!output.jsonOutput && !quiet) {
    io.stderr.write(`${summary(result, io.style, failure)}\n`)
    if (output.verbose) io.stderr.write(`${details(result, io.style).join('\n')}\n`)
  }
  return exitStatus(code, exitCodes)
}

/**
 * The status by the result's kind (a signal's for an interrupted call); with assertions, theirs:
 * 0 when every one is met (a 404 expected is a pass), 10 when one is not.
 */
function exitCode(result: Result, asserted: boolean, failure: string | null, io: CliIo): number {
  if (result.kind === 'aborted') return io.abortedStatus?.() ?? EXIT_CODES.aborted
  if (!asserted) return EXIT_CODES[result.kind]
  return failure === null ? 0 : EXIT_CODES.expectation
}

/**
 * The head (with -i) and the body, to the file or stdout; what went wrong when the file cannot be
 * written, or when a binary body was kept from a terminal (as curl keeps it, unless `-o -`).
 */
async function writeOutput(result: Result, { output }: Invocation, io: CliIo): Promise<string | null> {
  const head = output.include ? headLines(result) : null
  const pretty = output.pretty ?? (output.file === null && io.stdoutIsTerminal)
  const body = bodyBytes(result, pretty)
  if (output.file === null) {
    if (head) io.stdout.write(head)
    if (body !== null && io.stdoutIsTerminal && !output.toStdout && looksBinary(body)) return BINARY_KEPT
    if (body !== null) io.stdout.write(body)
    return null
  }
  const encoder = new TextEncoder()
  const chunks = [head ? encoder.encode(head) : null, typeof body === 'string' ? encoder.encode(body) : body]
  try {
    await writeFile(output.file, Buffer.concat(chunks.filter((chunk): chunk is Uint8Array => chunk !== null)))
    return null
  } catch (error) {
    return `cannot write ${output.file}: ${(error as Error).message}`
  }
}

const BINARY_KEPT =
  'the body is binary and was not written to the terminal: add "-o -" to write it anyway, or "-o <file>" to save it'
