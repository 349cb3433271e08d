/**
 * Nothing a server chose reaches a terminal as a control sequence (issue 35): everything the CLI
 * prints but the body has its control characters made visible, and a binary body is kept from a
 * terminal unless asked for, as curl keeps it.
 */
import { createServer, type Server } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { details, headLines, PLAIN, resultJson, summary } from '../../src/cli/render.ts'
import { type CliIo, runCli } from '../../src/cli/run.ts'
import { looksBinary, visible } from '../../src/cli/visible.ts'
import { results as make } from '../../src/testing.ts'

/** What a terminal obeys: C0 but the tab, DEL, C1, and the bidirectional overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is what the test is for.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
/** Lines end in CR LF where the CLI writes them so (the head, as curl -i does): those are its own. */
const withoutOwnLineEnds = (text: string) => text.replace(/\r?\n/g, '')

const TITLE = '\x1b]0;pwned\x07'
const CLIPBOARD = '\x1b]52;c;cm0gLXJmIH4=\x07'
const CLEAR = '\x1b[2J'

describe('visible', () => {
  it('shows every control character as an escape, and leaves other text alone (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const shown = visible(text)
        expect(shown).not.toMatch(CONTROL)
        if (!CONTROL.test(text)) expect(shown).toBe(text)
      }),
      { numRuns: 5_000 },
    )
    expect(visible(`OK ${CLEAR}`)).toBe('OK \\x1b[2J')
    expect(visible('a\u009b31m\u202eb\tc')).toBe('a\\x9b31m\\u{202e}b\tc')
  })
})

describe("the CLI's own lines", () => {
  const hostile = `OK ${TITLE}${CLIPBOARD}${CLEAR}`
  const results = [
    make.success('hi', {
      statusText: hostile,
      headers: { 'x-evil': 'a\u009b2Jb', 'content-type': 'text/plain' },
    }),
    make.serverError(503, null, { statusText: hostile, headers: { 'x-evil': '\u009b]0;t\u009c' } }),
    make.networkError('ECONNRESET'),
  ]
  const messageResult = { ...make.networkError('ECONNRESET'), message: `reset ${CLEAR}` }

  it.each(results.map((result) => [result.kind, result] as const))(
    'a %s: summary, status line and headers, details and JSON hold no control character',
    (_kind, result) => {
      const printed = [
        summary(result, PLAIN, `unmet ${CLEAR}`),
        ...details(result, PLAIN),
        headLines(result) ?? '',
        resultJson(result),
      ]
      for (const text of printed) expect(withoutOwnLineEnds(text)).not.toMatch(CONTROL)
      expect(JSON.parse(resultJson(result))).toMatchObject({ kind: result.kind })
    },
  )

  it("an error's message in the summary", () => {
    expect(summary(messageResult as never, PLAIN)).not.toMatch(CONTROL)
    expect(summary(messageResult as never, PLAIN)).toContain('\\x1b[2J')
  })
})

describe('against an origin that sends control characters and binary bodies', () => {
  let server: Server
  let origin = ''

  beforeAll(async () => {
    // Raw bytes on the wire: node:http refuses to write them, and some servers do not.
    server = createServer((socket) => {
      socket.once('data', (request) => {
        const binary = request.toString('latin1').startsWith('GET /binary')
        const body = binary
          ? Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1b, 0x5b, 0x32, 0x4a])
          : Buffer.from('{}')
        const head = [
          `HTTP/1.1 503 Busy \x9b2J`,
          `Content-Type: ${binary ? 'image/png' : 'application/json'}`,
          'X-Evil: a\x9b]0;title\x9cb',
          `Content-Length: ${body.length}`,
          'Connection: close',
        ].join('\r\n')
        socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  async function run(argv: string[], stdoutIsTerminal: boolean) {
    const out: Uint8Array[] = []
    let err = ''
    const io: CliIo = {
      stdout: { write: (chunk) => out.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk) },
      stderr: { write: (chunk) => (err += chunk) },
      stdoutIsTerminal,
      style: PLAIN,
      version: '0',
    }
    const status = await runCli(argv, io)
    return { status, stdout: Buffer.concat(out), stderr: err }
  }

  it('-i -v: the status line, the headers and the summary reach the terminal with no control character', async () => {
    const { stdout, stderr } = await run(['-i', '-v', '--retry', '0', `${origin}/json`], true)
    expect(withoutOwnLineEnds(stdout.toString('latin1'))).not.toMatch(CONTROL)
    expect(withoutOwnLineEnds(stderr)).not.toMatch(CONTROL)
    expect(stdout.toString('latin1')).toContain('x-evil: a\\x9b]0;title\\x9cb')
  })

  it('keeps a binary body from a terminal, with a message and a failing status', async () => {
    const { status, stdout, stderr } = await run(['--retry', '0', `${origin}/binary`], true)
    expect(stdout).toHaveLength(0)
    expect(stderr).toMatch(/binary and was not written to the terminal: add "-o -"/)
    expect(status).not.toBe(0)
  })

  it('writes it byte for byte with -o -, or to a pipe', async () => {
    for (const [argv, terminal] of [
      [['-o', '-', '--retry', '0', `${origin}/binary`], true],
      [['--retry', '0', `${origin}/binary`], false],
    ] as const) {
      const { stdout } = await run([...argv], terminal)
      expect([...stdout]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1b, 0x5b, 0x32, 0x4a])
    }
  })

  it('tells a binary body by a zero byte, as curl does', () => {
    expect(looksBinary(new Uint8Array([0x41, 0x00]))).toBe(true)
    expect(looksBinary(new TextEncoder().encode('caf\u00e9 \x1b[2J'))).toBe(false)
  })
})
