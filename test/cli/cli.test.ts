import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../src/cli/exit-codes.ts'
import { runCli } from '../../src/cli/run.ts'
import { closedPort, type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'

let origin: LoopbackOrigin

beforeAll(async () => {
  origin = await startOrigin({
    '/ok': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"up":true}'),
    '/text': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/plain' }).end('plain text'),
    '/bytes': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0, 255])),
    '/etag': (request, response) => {
      if (request.headers['if-none-match'] === '"e"') return response.writeHead(304, { etag: '"e"' }).end()
      response.writeHead(200, { etag: '"e"', 'content-type': 'application/json' }).end('{}')
    },
    '/moved': (_request, response) => response.writeHead(302, { location: '/ok' }).end(),
    '/missing': (_request, response) =>
      response.writeHead(404, { 'content-type': 'application/json' }).end('{}'),
    '/down': (_request, response) =>
      response
        .writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' })
        .end('{"down":true}'),
    '/garbled': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{oops'),
    '/echo': (request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ method: request.method, headers: request.headers, body }))
      })
    },
    '/never': () => {},
  })
})

afterAll(async () => {
  await origin.stop()
})

async function cli(
  args: string[],
  { colour = false, signal }: { colour?: boolean; signal?: AbortSignal } = {},
) {
  let stdout = ''
  let stderr = ''
  const bytes: Uint8Array[] = []
  const status = await runCli(args, {
    stdout: {
      write: (chunk) => {
        if (typeof chunk === 'string') stdout += chunk
        else bytes.push(chunk)
      },
    },
    stderr: { write: (chunk) => (stderr += chunk) },
    colour,
    version: '9.9.9',
    ...(signal ? { signal } : {}),
  })
  return { status, stdout, stderr, bytes }
}

describe('exit status by kind, as documented', () => {
  it('0 for a success, with the body on stdout and the summary on stderr', async () => {
    const { status, stdout, stderr } = await cli([`${origin.url}/ok`])
    expect(status).toBe(0)
    expect(JSON.parse(stdout)).toEqual({ up: true })
    expect(stderr).toMatch(/^✔ 200 OK · success · GET http:\/\/127\.0\.0\.1:\d+\/ok · 1 attempt · \d+ ms\n$/)
  })

  it('0 for a 304 answering your own validator', async () => {
    expect((await cli(['-H', 'If-None-Match: "e"', `${origin.url}/etag`])).status).toBe(0)
  })

  it('3 for a redirect not followed', async () => {
    const { status, stderr } = await cli(['--follow', 'never', `${origin.url}/moved`])
    expect(status).toBe(EXIT_CODES.redirect)
    expect(status).toBe(3)
    expect(stderr).toContain('not followed (policy)')
  })

  it('4 for a client error', async () => {
    expect((await cli([`${origin.url}/missing`])).status).toBe(4)
  })

  it('5 for a server error, after the retries', async () => {
    const { status, stderr } = await cli(['--retries', '1', '-v', `${origin.url}/down`])
    expect(status).toBe(5)
    expect(stderr).toContain('attempt 1: 503')
    expect(stderr).toContain('attempt 2: 503')
    expect(stderr).toContain('not retried: limit')
  })

  it('6 for a network error', async () => {
    const { status, stderr } = await cli(['--no-retry', `http://127.0.0.1:${await closedPort()}/`])
    expect(status).toBe(6)
    expect(stderr).toContain('ECONNREFUSED')
  })

  it('7 for a timeout', async () => {
    expect((await cli(['--no-retry', '--timeout', '50', `${origin.url}/never`])).status).toBe(7)
    expect((await cli(['--total-timeout', '80', `${origin.url}/never`])).status).toBe(7)
  })

  it('8 when aborted', async () => {
    const controller = new AbortController()
    const pending = cli([`${origin.url}/never`], { signal: controller.signal })
    setTimeout(() => controller.abort('interrupted'), 20)
    expect((await pending).status).toBe(8)
  })

  it('1 for an invalid response', async () => {
    expect((await cli([`${origin.url}/garbled`])).status).toBe(1)
  })
})

describe('usage errors: one line, the usage, exit 2', () => {
  it.each([
    [[], 'a URL is required'],
    [['a', 'b'], 'one URL only'],
    [['--bogus', 'http://x.test'], "Unknown option '--bogus'"],
    [['--retries', 'many', 'http://x.test'], '--retries takes a whole number'],
    [['--follow', 'sometimes', 'http://x.test'], '--follow takes always, same-origin, never'],
    [['--timeout', '0', 'http://x.test'], '--timeout takes a number of milliseconds from 1'],
    [['-H', 'no-colon', 'http://x.test'], '-H/--header takes "Name: value"'],
    [['--json', '{bad', 'http://x.test'], '--json takes JSON'],
    [['-d', 'x', '--json', '{}', 'http://x.test'], '-d/--data and --json cannot both be set'],
    [['--retries', '1', '--no-retry', 'http://x.test'], '--retries and --no-retry cannot both be set'],
    [['not a url'], 'invalid URL'],
    [['-H', 'Bad Name: v', 'http://x.test'], 'invalid header'],
  ])('%j', async (args, message) => {
    const { status, stderr, stdout } = await cli(args)
    expect(status).toBe(2)
    expect(stderr.split('\n')[0]).toContain(message)
    expect(stderr).toContain('Usage: fetchkind [options] <url>')
    expect(stdout).toBe('')
  })
})

describe('what it sends and prints', () => {
  it('sends the method, headers and a JSON body', async () => {
    const { stdout } = await cli([
      '-X',
      'PUT',
      '-H',
      'X-Trace: t1',
      '--json',
      '{"a":1}',
      `${origin.url}/echo`,
    ])
    const echoed = JSON.parse(stdout)
    expect(echoed).toMatchObject({
      method: 'PUT',
      body: '{"a":1}',
      headers: { 'x-trace': 't1', 'content-type': 'application/json' },
    })
  })

  it('-d sends text and implies POST', async () => {
    expect(JSON.parse((await cli(['-d', 'hello', `${origin.url}/echo`])).stdout)).toMatchObject({
      method: 'POST',
      body: 'hello',
    })
  })

  it('prints text as it came and bytes raw', async () => {
    expect((await cli([`${origin.url}/text`])).stdout).toBe('plain text')
    expect((await cli([`${origin.url}/bytes`])).bytes).toEqual([new Uint8Array([0, 255])])
  })

  it('--json-output prints the whole result with meta as JSON', async () => {
    const { stdout, stderr } = await cli(['--json-output', `${origin.url}/ok`])
    const result = JSON.parse(stdout)
    expect(result).toMatchObject({
      kind: 'success',
      status: 200,
      data: { up: true },
      meta: { cache: 'miss' },
    })
    expect(result.headers['content-type']).toBe('application/json')
    expect(result.meta.attempts[0]).toMatchObject({ status: 200 })
    expect(stderr).toBe('')
  })

  it('-v shows each hop and the cache status', async () => {
    const { stderr } = await cli(['-v', `${origin.url}/moved`])
    expect(stderr).toMatch(/redirect 302: http:\/\/127\.0\.0\.1:\d+\/moved → http:\/\/127\.0\.0\.1:\d+\/ok/)
    expect(stderr).toContain('cache: miss')
  })

  it('colours the summary on a terminal, not when piped', async () => {
    expect((await cli([`${origin.url}/ok`], { colour: true })).stderr).toContain('\x1b[32m')
    expect((await cli([`${origin.url}/ok`])).stderr).not.toContain('\x1b[')
  })

  it('--help and --version', async () => {
    expect(await cli(['--help'])).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('Exit status:'),
    })
    expect(await cli(['--version'])).toMatchObject({ status: 0, stdout: '9.9.9\n' })
  })
})

describe('the command as a process', () => {
  it('Ctrl-C (SIGINT) ends the call as aborted, exit 8, in plain text when piped', async () => {
    const child = spawn(process.execPath, ['src/cli/main.ts', `${origin.url}/never`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    // Wait for the request to reach the origin before interrupting.
    const before = origin.connections()
    while (origin.connections() === before) await new Promise((resolve) => setTimeout(resolve, 10))
    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(8)
    expect(stderr).toContain('✖ aborted')
    expect(stderr).not.toContain('\x1b[')
  })
})
