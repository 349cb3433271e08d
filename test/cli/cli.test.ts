/**
 * The `fetchkind` command, built and run as a real process against loopback servers: every flag,
 * every exit status, bodies byte for byte, the assertions, the probe recipes of the README, and
 * the terminal as a person sees it (under a pseudo-terminal).
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type Server } from 'node:http'
import http2 from 'node:http2'
import { createServer as createHttpsServer } from 'node:https'
import { type AddressInfo, createServer as createTcpServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeCertificates } from '../support/certificates.ts'
import { buildCli, runCommand } from '../support/cli-process.ts'
import { closedPort, type LoopbackOrigin, startOrigin } from '../support/loopback-origin.ts'
import { ProxyServer, requireTinyproxy, TINYPROXY } from '../support/proxy-server.ts'

requireTinyproxy('test/cli/cli.test.ts')

const BIG = '{"n":9007199254740993,"s":"caf\\u00e9","list":[1,2.50,{}],"empty":[]}'
let cli: string
let removeCli: () => void
let origin: LoopbackOrigin
let other: LoopbackOrigin
const files = mkdtempSync(join(tmpdir(), 'fetchkind-cli-'))
const hits: Record<string, number> = {}

beforeAll(async () => {
  ;({ cli, remove: removeCli } = await buildCli())
  other = await startOrigin({
    '/login': (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('login'),
  })
  origin = await startOrigin({
    '/ok': (_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"up":true}'),
    '/big': (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(BIG),
    '/bytes': (_request, response) =>
      response
        .writeHead(200, { 'content-type': 'application/octet-stream' })
        .end(Buffer.from([0, 255, 13, 10])),
    '/etag': (request, response) => {
      if (request.headers['if-none-match'] === '"e"') return response.writeHead(304, { etag: '"e"' }).end()
      response.writeHead(200, { etag: '"e"', 'content-type': 'application/json' }).end('{}')
    },
    '/same': (_request, response) => response.writeHead(302, { location: '/ok' }).end(),
    '/away': (_request, response) => response.writeHead(302, { location: `${other.url}/login` }).end(),
    '/missing': (request, response) => {
      hits[request.url ?? ''] = (hits[request.url ?? ''] ?? 0) + 1
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing')
    },
    '/down': (request, response) => {
      hits[request.url ?? ''] = (hits[request.url ?? ''] ?? 0) + 1
      response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '0' }).end('down')
    },
    '/limited': (request, response) => {
      hits[request.url ?? ''] = (hits[request.url ?? ''] ?? 0) + 1
      response.writeHead(429, { 'retry-after': '5' }).end()
    },
    '/odd-status': (_request, response) => response.writeHead(600).end(),
    '/headers': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/plain', 'x-version': '7' }).end('body'),
    '/echo': (request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.end(
          JSON.stringify({
            method: request.method,
            headers: request.headers,
            body: Buffer.concat(chunks).toString('base64'),
          }),
        )
      })
    },
    '/never': () => {},
  })
}, 60_000)

afterAll(async () => {
  removeCli?.()
  await origin?.stop()
  await other?.stop()
})

const run = (args: string[], options: Parameters<typeof runCommand>[2] = {}) => runCommand(cli, args, options)
const url = (path: string) => `${origin.url}${path}`
const echoed = (stdout: Buffer) =>
  JSON.parse(stdout.toString()) as { method: string; headers: Record<string, string>; body: string }
const sentBody = (stdout: Buffer) => Buffer.from(echoed(stdout).body, 'base64')
/** A file in the test's directory, with these contents; its path. */
const file = (name: string, contents: string | Uint8Array) => {
  const path = join(files, name)
  writeFileSync(path, contents)
  return path
}

describe('exit status, by kind', () => {
  it('0 for a success: the body on stdout, the summary on stderr', async () => {
    const { status, stdout, stderr } = await run([url('/ok')])
    expect(status).toBe(0)
    expect(stdout.toString()).toBe('{"up":true}')
    expect(stderr).toMatch(/^✔ 200 OK · success · GET http:\/\/127\.0\.0\.1:\d+\/ok · 1 attempt · \d+ ms\n$/)
  })

  it('0 for a 304 answering your own validator', async () => {
    expect((await run(['-H', 'If-None-Match: "e"', url('/etag')])).status).toBe(0)
  })

  it('1 for an invalid response', async () => {
    const { status, stderr } = await run([url('/odd-status')])
    expect(status).toBe(1)
    expect(stderr).toContain('status-out-of-range')
  })

  it('2 for a usage error: what is wrong, and where help is, as curl says it (issue 39: the whole help)', async () => {
    const { status, stderr } = await run(['--retries', 'many', url('/ok')])
    expect(status).toBe(2)
    expect(stderr).toBe(
      'fetchkind: --retries takes a whole number, got "many"\nfetchkind: try \'fetchkind --help\' for more\n',
    )
  })

  it('an unknown flag gets the nearest known one; a missing value names its flag', async () => {
    expect((await run(['--retyr', '1', url('/ok')])).stderr.split('\n')[0]).toBe(
      'fetchkind: unknown option --retyr: did you mean --retry?',
    )
    expect((await run(['--frobnicate', url('/ok')])).stderr.split('\n')[0]).toBe(
      'fetchkind: unknown option --frobnicate',
    )
    expect((await run([url('/ok'), '-X'])).stderr.split('\n')[0]).toBe('fetchkind: -X/--method needs a value')
  })

  it('3 for a redirect to another origin: not followed by default, and said so', async () => {
    const { status, stderr } = await run([url('/away')])
    expect(status).toBe(3)
    expect(stderr).toContain(`not followed (cross-origin) → ${other.url}/login`)
  })

  it('4 for a client error, its body on stdout', async () => {
    const { status, stdout } = await run([url('/missing')])
    expect(status).toBe(4)
    expect(stdout.toString()).toBe('no such thing')
  })

  it('5 for a server error, after the retries', async () => {
    const { status, stderr } = await run(['--retry-delay', '0.001', url('/down?exit5')])
    expect(status).toBe(5)
    expect(stderr).toContain('3 attempts')
  })

  it('6 for a network error', async () => {
    const { status, stderr } = await run(['--no-retry', `http://127.0.0.1:${await closedPort()}/`])
    expect(status).toBe(6)
    expect(stderr).toContain('ECONNREFUSED')
  })

  it('7 for a timeout', async () => {
    const { status, stderr } = await run(['--no-retry', '--attempt-timeout', '0.2', url('/never')])
    expect(status).toBe(7)
    expect(stderr).toContain('the attempt deadline of 200 ms passed')
  })

  it('10 for an unmet assertion', async () => {
    expect((await run(['--expect-status', '204', url('/ok')])).status).toBe(10)
  })

  it('130 on Ctrl-C (SIGINT) and 143 on SIGTERM, after the summary', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const before = origin.connections()
      const { status, stderr } = await run([url('/never')], {
        started: (kill) => {
          const wait = async () => {
            while (origin.connections() === before) await new Promise((resolve) => setTimeout(resolve, 10))
            kill(signal)
          }
          void wait()
        },
      })
      expect(status).toBe(code)
      expect(stderr).toContain('✖ aborted')
      expect(stderr).toContain('interrupted')
    }
  })

  it('--exit-codes simple: 0 or 1 only, usage errors included (Docker reserves 2)', async () => {
    const simple = async (...args: string[]) => (await run(['--exit-codes', 'simple', ...args])).status
    expect(await simple(url('/ok'))).toBe(0)
    expect(await simple(url('/missing'))).toBe(1)
    expect(await simple('--no-retry', url('/down'))).toBe(1)
    expect(await simple('--expect-status', '204', url('/ok'))).toBe(1)
    expect(await simple('--retries', 'many', url('/ok'))).toBe(1)
    expect((await run(['--exit-codes', 'sometimes', url('/ok')])).status).toBe(2)
  })
})

describe('bodies, byte for byte', () => {
  it('a 2^53+1 integer and an escaped string print exactly as they came', async () => {
    const { stdout } = await run([url('/big')])
    expect(stdout.toString()).toBe(BIG)
  })

  it('--pretty re-indents JSON without changing a number or a string; --no-pretty keeps it as it came', async () => {
    const pretty = (await run(['--pretty', url('/big')])).stdout.toString()
    expect(pretty).toBe(
      '{\n  "n": 9007199254740993,\n  "s": "caf\\u00e9",\n  "list": [\n    1,\n    2.50,\n    {}\n  ],\n  "empty": []\n}\n',
    )
    expect((await run(['--no-pretty', url('/big')])).stdout.toString()).toBe(BIG)
    expect((await run(['--pretty', '--no-pretty', url('/big')])).status).toBe(2)
  })

  it('bytes print raw, CR and LF included', async () => {
    expect([...(await run([url('/bytes')])).stdout]).toEqual([0, 255, 13, 10])
  })

  it('--json sends the JSON as written: 2^53+1 survives the round trip', async () => {
    const { stdout } = await run(['--json', '{"n":9007199254740993}', url('/echo')])
    const echo = echoed(stdout)
    expect(echo.method).toBe('POST')
    expect(sentBody(stdout).toString()).toBe('{"n":9007199254740993}')
    expect(echo.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' })
  })

  it('--json @file and @- read the JSON from a file and stdin; JSON that is not is a usage error', async () => {
    const path = file('body.json', '{\n  "n": 9007199254740993\n}\n')
    expect(sentBody((await run(['--json', `@${path}`, url('/echo')])).stdout).toString()).toBe(
      '{\n  "n": 9007199254740993\n}\n',
    )
    const fromStdin = await run(['--json', '@-', url('/echo')], { input: '[1,2]' })
    expect(sentBody(fromStdin.stdout).toString()).toBe('[1,2]')
    const bad = await run(['--json', '{oops', url('/echo')])
    expect(bad.status).toBe(2)
    expect(bad.stderr.split('\n')[0]).toBe('fetchkind: --json takes JSON, and what it was given is not')
  })
})

describe('request flags', () => {
  it('-X, -H, -A and -u set the method, headers, user-agent and basic authentication', async () => {
    const { stdout } = await run([
      '-X',
      'PUT',
      '-H',
      'X-Trace: abc',
      '-A',
      'probe/1',
      '-u',
      'ada:s3cret:with:colons',
      url('/echo'),
    ])
    const echo = echoed(stdout)
    expect(echo.method).toBe('PUT')
    expect(echo.headers).toMatchObject({
      'x-trace': 'abc',
      'user-agent': 'probe/1',
      authorization: `Basic ${Buffer.from('ada:s3cret:with:colons').toString('base64')}`,
    })
    const noPassword = await run(['-u', 'ada', url('/echo')])
    expect(noPassword.status).toBe(2)
    expect(noPassword.stderr.split('\n')[0]).toContain('-u/--user takes user:password')
  })

  it('-d sends text and implies POST; repeated, the parts are joined with &', async () => {
    const { stdout } = await run(['-d', 'a=1', '-d', 'b=2', url('/echo')])
    expect(echoed(stdout).method).toBe('POST')
    expect(sentBody(stdout).toString()).toBe('a=1&b=2')
  })

  it('-d @file drops CR and LF as curl does; --data-binary @file sends the bytes as they are', async () => {
    const path = file('lines.txt', 'one\r\ntwo\nthree')
    expect(sentBody((await run(['-d', `@${path}`, url('/echo')])).stdout).toString()).toBe('onetwothree')
    const binary = file('binary.bin', Buffer.from([0, 13, 10, 255]))
    expect([...sentBody((await run(['--data-binary', `@${binary}`, url('/echo')])).stdout)]).toEqual([
      0, 13, 10, 255,
    ])
  })

  it('-d and --data-binary send a form Content-Type, as curl does, unless -H names one (issue 39)', async () => {
    expect(echoed((await run(['-d', 'a=1', url('/echo')])).stdout).headers['content-type']).toBe(
      'application/x-www-form-urlencoded',
    )
    expect(echoed((await run(['--data-binary', 'a=1', url('/echo')])).stdout).headers['content-type']).toBe(
      'application/x-www-form-urlencoded',
    )
    const own = await run(['-d', '<x/>', '-H', 'Content-Type: application/xml', url('/echo')])
    expect(echoed(own.stdout).headers['content-type']).toBe('application/xml')
  })

  it('-F sends multipart/form-data: name=value fields and name=@file uploads', async () => {
    const upload = file('upload.txt', 'file contents\n')
    const { status, stdout } = await run(['-F', 'title=hello', '-F', `doc=@${upload}`, url('/echo')])
    expect(status).toBe(0)
    const sent = echoed(stdout)
    expect(sent.method).toBe('POST')
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    const body = sentBody(stdout).toString()
    expect(body).toContain('name="title"\r\n\r\nhello\r\n')
    expect(body).toMatch(
      /name="doc"; filename="upload.txt"\r\nContent-Type: text\/plain\r\n\r\nfile contents\n\r\n/,
    )
    expect((await run(['-F', 'title', url('/echo')])).status).toBe(2)
    expect((await run(['-F', 'a=1', '-d', 'b=2', url('/echo')])).status).toBe(2)
  })

  it('-d @- reads stdin; a file that cannot be read is a usage error naming it', async () => {
    const { stdout } = await run(['--data-binary', '@-', url('/echo')], { input: 'from\nstdin' })
    expect(sentBody(stdout).toString()).toBe('from\nstdin')
    const missing = await run(['-d', '@/no/such/file', url('/echo')])
    expect(missing.status).toBe(2)
    expect(missing.stderr.split('\n')[0]).toBe('fetchkind: cannot read @/no/such/file: ENOENT')
  })

  it('-I sends HEAD and prints the status line and headers; -i prints them before the body', async () => {
    const head = await run(['-I', url('/headers')])
    expect(head.status).toBe(0)
    expect(head.stdout.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n(.*\r\n)*x-version: 7\r\n(.*\r\n)*\r\n$/)
    const include = (await run(['-i', url('/headers')])).stdout.toString()
    expect(include).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(include).toMatch(/x-version: 7\r\n(.*\r\n)*\r\nbody$/)
    expect((await run(['-I', '-d', 'x', url('/headers')])).status).toBe(2)
  })

  it('-o writes the body (with -i, the head too) to a file; nothing on stdout', async () => {
    const path = join(files, 'out.json')
    const { stdout, status } = await run(['-o', path, url('/big')])
    expect(status).toBe(0)
    expect(stdout.length).toBe(0)
    expect(readFileSync(path, 'utf8')).toBe(BIG)
    await run(['-i', '-o', path, url('/headers')])
    expect(readFileSync(path, 'utf8')).toMatch(/^HTTP\/1\.1 200 OK\r\n(.*\r\n)*\r\nbody$/)
    const unwritable = await run(['-o', join(files, 'no', 'such', 'dir'), url('/ok')])
    expect(unwritable.status).toBe(1)
    expect(unwritable.stderr).toContain('fetchkind: cannot write')
  })

  it('-s prints no summary; -s -S prints it when the call failed; -S alone is a usage error', async () => {
    expect((await run(['-s', url('/ok')])).stderr).toBe('')
    expect((await run(['-s', url('/missing')])).stderr).toBe('')
    expect((await run(['-s', '-S', url('/ok')])).stderr).toBe('')
    expect((await run(['-sS', url('/missing')])).stderr).toContain('✖ 404 Not Found · client-error')
    expect((await run(['-S', url('/ok')])).status).toBe(2)
  })

  it('-v prints each attempt, its wait and why, each hop and the cache status', async () => {
    const { stderr } = await run(['-v', '--retry-delay', '0.001', '--retry', '1', url('/down?verbose')])
    expect(stderr).toMatch(
      /attempt 1: 503 from .*\/down\?verbose in \d+ ms → waited \d+ ms \((backoff|retry-after)\)/,
    )
    expect(stderr).toContain('  cache: ')
  })

  it('--json-output prints the whole result, meta included', async () => {
    const { stdout } = await run(['--json-output', url('/ok')])
    const result = JSON.parse(stdout.toString())
    expect(result).toMatchObject({ kind: 'success', status: 200, data: { up: true } })
    expect(result.meta.attempts).toHaveLength(1)
    expect((await run(['--json-output', '-i', url('/ok')])).status).toBe(2)
  })

  it('-h and --version', async () => {
    const help = (await run(['-h'])).stdout.toString()
    expect(help).toContain('--expect-json <pointer=value>')
    expect(help).toContain('130 interrupted (Ctrl-C)')
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version
    expect((await run(['--version'])).stdout.toString()).toBe(`${version}\n`)
  })
})

describe('redirects, deadlines and retries', () => {
  it('--follow same-origin (the default) follows a same-origin hop; -L and --follow always cross origins', async () => {
    expect((await run([url('/same')])).stdout.toString()).toBe('{"up":true}')
    for (const flag of [['-L'], ['--follow', 'always']]) {
      const { status, stdout } = await run([...flag, url('/away')])
      expect(status).toBe(0)
      expect(stdout.toString()).toBe('login')
    }
    expect((await run(['--follow', 'never', url('/same')])).status).toBe(3)
    expect((await run(['-L', '--follow', 'never', url('/same')])).status).toBe(2)
  })

  it('--max-redirects bounds the hops', async () => {
    const { status, stderr } = await run(['--max-redirects', '0', url('/same')])
    expect(status).toBe(3)
    expect(stderr).toContain('max-redirects')
  })

  it('-m/--max-time bounds the whole call, in seconds as curl has it', async () => {
    for (const flag of ['-m', '--max-time']) {
      const { status, stderr } = await run([flag, '0.3', url('/never')])
      expect(status).toBe(7)
      expect(stderr).toContain('the total deadline of 300 ms passed')
    }
  })

  it('the flags that took milliseconds are gone, each naming what to type instead (issue 39)', async () => {
    for (const [flag, instead] of [
      ['--timeout', '--attempt-timeout <seconds>'],
      ['--total-timeout', '-m/--max-time <seconds>'],
      ['--max-retry-after', '--retry-after-max <seconds>'],
    ]) {
      const { status, stderr } = await run([flag as string, '300', url('/ok')])
      expect(status).toBe(2)
      expect(stderr.split('\n')[0]).toBe(`fetchkind: ${flag} took milliseconds and is gone: ${instead}`)
    }
  })

  it("--max-redirs, curl's name, is --max-redirects", async () => {
    const { status, stderr } = await run(['--max-redirs', '0', url('/same')])
    expect(status).toBe(3)
    expect(stderr).toContain('max-redirects')
  })

  it('--retry and --retries set the retries; --no-retry sends once', async () => {
    for (const [flag, path, sent] of [
      ['--retry', '/down?a', 2],
      ['--retries', '/down?b', 2],
    ] as const) {
      await run([flag, '1', '--retry-delay', '0.001', url(path)])
      expect(hits[path]).toBe(sent)
    }
    await run(['--no-retry', url('/down?c')])
    expect(hits['/down?c']).toBe(1)
    expect((await run(['--no-retry', '--retry', '1', url('/down')])).status).toBe(2)
  })

  it('--retry-status chooses the statuses retried', async () => {
    await run(['--retry-status', '404', '--retry-delay', '0.001', url('/missing?retried')])
    expect(hits['/missing?retried']).toBe(3)
    expect((await run(['--retry-status', '4xx', url('/ok')])).status).toBe(2)
  })

  it('--retry-after-max (seconds): a longer Retry-After is not waited for', async () => {
    const { status, stderr } = await run(['-v', '--retry-after-max', '1', url('/limited?once')])
    expect(status).toBe(4)
    expect(hits['/limited?once']).toBe(1)
    expect(stderr).toContain('not retried: max-retry-after')
  })
})

describe('network flags', () => {
  it('--transport fetch and undici both send; undici-only flags with fetch are a usage error', async () => {
    for (const transport of ['fetch', 'undici']) {
      expect((await run(['--transport', transport, url('/ok')])).status).toBe(0)
    }
    const mixed = await run(['--transport', 'fetch', '--http2', url('/ok')])
    expect(mixed.status).toBe(2)
    expect(mixed.stderr.split('\n')[0]).toBe(
      'fetchkind: --http2 needs the undici transport, not --transport fetch',
    )
  })

  it('--connect-timeout (seconds, as curl) bounds the connection: a TLS handshake that never ends', async () => {
    const silent = createTcpServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const port = (silent.address() as AddressInfo).port
      const { status, stderr } = await run([
        '--no-retry',
        '--connect-timeout',
        '0.3',
        `https://127.0.0.1:${port}/`,
      ])
      expect(status).toBe(6)
      expect(stderr).toContain('UND_ERR_CONNECT_TIMEOUT')
      expect((await run(['--connect-timeout', 'soon', url('/ok')])).status).toBe(2)
    } finally {
      silent.close()
    }
  })

  it.skipIf(!TINYPROXY)('--proxy sends through an HTTP proxy', async () => {
    const proxy = await ProxyServer.start()
    try {
      const { status, stdout } = await run(['--proxy', proxy.url(), url('/echo')])
      expect(status).toBe(0)
      expect(echoed(stdout).headers.via).toContain('tinyproxy')
      expect((await run(['--proxy', 'socks5://127.0.0.1:1', url('/ok')])).status).toBe(2)
    } finally {
      await proxy.stop()
    }
  })

  it('-k/--insecure accepts a certificate nobody vouches for, as curl', async () => {
    const certificates = makeCertificates()
    const server = createHttpsServer(certificates.server, (_request, response) => response.end('secret'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const https = `https://localhost:${(server.address() as AddressInfo).port}/`
      expect((await run(['--no-retry', https])).status).toBe(6)
      for (const flag of ['-k', '--insecure'])
        expect((await run([flag, https])).stdout.toString()).toBe('secret')
      expect((await run(['-k', '--transport', 'fetch', https])).status).toBe(2)
    } finally {
      server.close()
    }
  })

  it('--resolve HOST:PORT:ADDR, --connect-to and -H Host: probe a virtual host at an address of your choosing', async () => {
    const { port } = new URL(origin.url)
    const viaResolve = await run([
      '--resolve',
      `api.example:${port}:127.0.0.1`,
      `http://api.example:${port}/echo`,
    ])
    expect([viaResolve.status, echoed(viaResolve.stdout).headers.host]).toEqual([0, `api.example:${port}`])
    const viaConnectTo = await run([
      '--connect-to',
      `api.example:${port}:127.0.0.1:${port}`,
      `http://api.example:${port}/echo`,
    ])
    expect(echoed(viaConnectTo.stdout).headers.host).toBe(`api.example:${port}`)
    const viaHost = await run(['-H', 'Host: api.example', `http://127.0.0.1:${port}/echo`])
    expect([viaHost.status, echoed(viaHost.stdout).headers.host]).toEqual([0, `api.example:${port}`])
    expect((await run(['--resolve', 'api.example:80', url('/ok')])).status).toBe(2)
    expect((await run(['--connect-to', 'a:1:b:2', url('/ok')])).stderr).toContain('--connect-to')
  })

  it('--cacert trusts a private CA; --cert and --key present a client certificate', async () => {
    const certificates = makeCertificates()
    const ca = file('ca.pem', certificates.ca)
    const cert = file('client.pem', certificates.client.cert)
    const key = file('client.key', certificates.client.key)
    const server = createHttpsServer(
      { ...certificates.server, ca: certificates.ca, requestCert: true, rejectUnauthorized: false },
      (request, response) => {
        const socket = request.socket as import('node:tls').TLSSocket
        response.writeHead(200).end(socket.authorized ? 'with a client certificate' : 'anonymous')
      },
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const https = `https://localhost:${(server.address() as AddressInfo).port}/`
      expect((await run(['--no-retry', https])).status).toBe(6)
      expect((await run(['--cacert', ca, https])).stdout.toString()).toBe('anonymous')
      expect((await run(['--cacert', ca, '--cert', cert, '--key', key, https])).stdout.toString()).toBe(
        'with a client certificate',
      )
      expect((await run(['--cert', cert, https])).status).toBe(2)
      expect((await run(['--cacert', join(files, 'none.pem'), https])).status).toBe(2)
    } finally {
      server.close()
    }
  })

  it('HTTP/2 is offered (--http2, the default); --http1.1 keeps to HTTP/1.1; -i shows which', async () => {
    const certificates = makeCertificates()
    const ca = file('ca2.pem', certificates.ca)
    const server = http2.createSecureServer(
      { ...certificates.server, allowHTTP1: true },
      (_request, response) => response.writeHead(200).end('over h2'),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const https = `https://localhost:${(server.address() as AddressInfo).port}/`
      const { stdout } = await run(['-i', '--http2', '--cacert', ca, https])
      expect(stdout.toString()).toMatch(/^HTTP\/2 200\r\n(.*\r\n)*\r\nover h2$/)
      expect((await run(['-i', '--cacert', ca, https])).stdout.toString()).toMatch(/^HTTP\/2 200\r\n/)
      expect((await run(['-i', '--http1.1', '--cacert', ca, https])).stdout.toString()).toMatch(
        /^HTTP\/1\.1 200 OK\r\n/,
      )
      expect((await run(['--http1.1', '--http2', https])).status).toBe(2)
    } finally {
      server.close()
    }
  })

  it('--unix-socket connects to a socket instead of the host', async () => {
    const socketPath = join(files, 'api.sock')
    const server: Server = createHttpServer((request, response) =>
      response.writeHead(200).end(`socket ${request.url}`),
    )
    await new Promise<void>((resolve) => server.listen(socketPath, resolve))
    try {
      expect((await run(['--unix-socket', socketPath, 'http://api.local/v1'])).stdout.toString()).toBe(
        'socket /v1',
      )
    } finally {
      server.close()
    }
  })
})

describe('assertions', () => {
  it('a URL without a scheme is http://; :port/path is localhost, as HTTPie has it (issue 39)', async () => {
    const { port } = new URL(origin.url)
    const bare = await run([`127.0.0.1:${port}/ok`])
    expect([bare.status, bare.stdout.toString()]).toEqual([0, '{"up":true}'])
    const local = await run(['--expect-status', '200', `:${port}/ok`])
    expect(local.status).toBe(0)
    expect(local.stderr).toContain(`http://localhost:${port}/ok`)
  })

  it('an expectation met decides the status: a 404 expected exits 0 (issue 39: it exited 4)', async () => {
    expect((await run(['--expect-status', '404', url('/missing?expected')])).status).toBe(0)
    expect(
      (await run(['--expect-status', '4xx', '--expect-header', 'content-type', url('/missing?x')])).status,
    ).toBe(0)
    expect((await run(['--expect-status', '200', url('/missing?unmet')])).status).toBe(10)
  })

  it('--expect-status takes statuses and classes', async () => {
    expect((await run(['--expect-status', '200,204', url('/ok')])).status).toBe(0)
    expect((await run(['--expect-status', '2xx', url('/ok')])).status).toBe(0)
    const { status, stderr } = await run(['--expect-status', '200,204', url('/missing')])
    // The assertions decide: unmet is 10 whatever the kind, and the summary says what came.
    expect(status).toBe(10)
    expect(stderr).toContain('assertion unmet: expected status 200,204, got 404')
    expect((await run(['--expect-status', '20x', url('/ok')])).status).toBe(2)
  })

  it('--expect-header NAME and NAME:VALUE', async () => {
    expect((await run(['--expect-header', 'x-version', url('/headers')])).status).toBe(0)
    expect((await run(['--expect-header', 'X-Version: 7', url('/headers')])).status).toBe(0)
    const { status, stderr } = await run(['--expect-header', 'x-version: 8', url('/headers')])
    expect(status).toBe(10)
    expect(stderr).toContain('assertion unmet: expected header x-version: 8, got x-version: 7')
    expect((await run(['--expect-header', 'x-missing', url('/headers')])).stderr).toContain(
      'expected header x-missing, got none',
    )
  })

  it('--expect-json POINTER=VALUE compares as written: 2^53+1 is not 2^53', async () => {
    expect((await run(['--expect-json', '/n=9007199254740993', url('/big')])).status).toBe(0)
    expect(
      (await run(['--expect-json', '/list/1=2.5', '--expect-json', '/s=café', url('/big')])).status,
    ).toBe(0)
    const off = await run(['--expect-json', '/n=9007199254740992', url('/big')])
    expect(off.status).toBe(10)
    expect(off.stderr).toContain('expected /n to be 9007199254740992, got 9007199254740993')
    expect((await run(['--expect-json', '/nothing=1', url('/big')])).stderr).toContain('got nothing there')
    expect((await run(['--expect-json', '/up=true', url('/bytes')])).stderr).toContain('not JSON')
    expect((await run(['--expect-json', 'up=true', url('/ok')])).status).toBe(2)
  })
})

describe('as a health probe (the README recipes)', () => {
  const probe = ['--exit-codes', 'simple', '--no-retry', '--max-time', '0.8', '-s']

  it('0 healthy; 1 for a 503, a hang past 800 ms, or a health page now redirecting to a login', async () => {
    expect((await run([...probe, url('/ok')])).status).toBe(0)
    expect((await run([...probe, url('/down')])).status).toBe(1)
    expect((await run([...probe, url('/never')])).status).toBe(1)
    expect((await run([...probe, url('/away')])).status).toBe(1)
    expect((await run([...probe, '--expect-json', '/up=true', url('/ok')])).status).toBe(0)
  })
})

const SCRIPT = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'pipe' })
    return true
  } catch {
    return false
  }
})()

describe.skipIf(!SCRIPT)('on a terminal (under a pseudo-terminal)', () => {
  /** Runs the command under `script`, its output (stdout and stderr) as the terminal shows it. */
  const onTerminal = (args: string[], env: Record<string, string> = {}) => {
    const quoted = [process.execPath, cli, ...args]
      .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
      .join(' ')
    // A person's terminal: no CI variable (Node reads it as a terminal without colour), a TERM.
    const { NO_COLOR: _none, FORCE_COLOR: _force, CI: _ci, ...clean } = process.env
    return new Promise<string>((resolve, reject) => {
      const child = spawn('script', ['-q', '-e', '-c', quoted, '/dev/null'], {
        env: { ...clean, TERM: 'xterm-256color', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8')
      })
      child.stdin.end()
      child.on('error', reject)
      child.on('close', () => resolve(output))
    })
  }

  it('colours the summary and re-indents JSON', async () => {
    const output = await onTerminal([url('/big')])
    expect(output).toContain('\x1b[32m✔ 200 OK')
    expect(output).toContain('"n": 9007199254740993')
  })

  it('NO_COLOR turns colour off; FORCE_COLOR turns it on when piped', async () => {
    expect(await onTerminal([url('/ok')], { NO_COLOR: '1' })).not.toContain('\x1b[')
    const piped = await run([url('/missing')], { env: { FORCE_COLOR: '1' } })
    expect(piped.stderr).toContain('\x1b[31m✖ 404')
    expect((await run([url('/missing')])).stderr).not.toContain('\x1b[')
  })
})
