/** The command line, parsed and checked: what to send and how to report it, or a usage error. */
import { parseArgs } from 'node:util'
import type { RequestOptions } from '../options/types.ts'
import { FOLLOW } from '../redirect/options.ts'

export const USAGE = `Usage: fetchkind [options] <url>

Sends one request and reports what happened: the body on stdout, a summary on stderr, and an
exit status by kind of result.

Options:
  -X, --method <method>         HTTP method (default GET, or POST with -d/--json)
  -H, --header <name: value>    add a request header (repeatable)
  -d, --data <text>             send <text> as the body
      --json <json>             send <json> as a JSON body (content-type: application/json)
      --retries <n>             retries of 429, 502, 503, 504 and network failures (default 2)
      --no-retry                never retry
      --follow <policy>         always | same-origin | never (default always)
      --max-redirects <n>       most redirects to follow (default 10)
      --timeout <ms>            longest one attempt may take (default 10000)
      --total-timeout <ms>      longest the whole call may take (default 30000)
      --json-output             print the whole result, meta included, as JSON on stdout
  -v, --verbose                 print each attempt, its wait and why, each hop, the cache status
  -h, --help                    print this help
      --version                 print the version

Exit status: 0 success (or 304, 1xx), 1 invalid response or hook error, 2 usage error, 3 redirect not followed,
4 client error, 5 server error, 6 network error, 7 timeout, 8 aborted (Ctrl-C), 9 refused.`

export interface Invocation {
  readonly url: string
  readonly init: RequestOptions
  readonly jsonOutput: boolean
  readonly verbose: boolean
}

export type ParsedArgs =
  | { readonly type: 'run'; readonly invocation: Invocation }
  | { readonly type: 'help' | 'version' }
  | { readonly type: 'usage-error'; readonly message: string }

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    return { type: 'usage-error', message: (error as Error).message.split('\n')[0] ?? 'bad arguments' }
  }
  const { values, positionals } = parsed
  if (values.help) return { type: 'help' }
  if (values.version) return { type: 'version' }
  try {
    return { type: 'run', invocation: invocation(values, positionals) }
  } catch (error) {
    return { type: 'usage-error', message: (error as Error).message }
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      method: { type: 'string', short: 'X' },
      header: { type: 'string', short: 'H', multiple: true },
      data: { type: 'string', short: 'd' },
      json: { type: 'string' },
      retries: { type: 'string' },
      'no-retry': { type: 'boolean' },
      follow: { type: 'string' },
      'max-redirects': { type: 'string' },
      timeout: { type: 'string' },
      'total-timeout': { type: 'string' },
      'json-output': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
  })
}

type Values = ReturnType<typeof parse>['values']

function invocation(values: Values, positionals: string[]): Invocation {
  if (positionals.length !== 1) {
    throw new Error(
      positionals.length === 0 ? 'a URL is required' : `one URL only, got ${positionals.length}`,
    )
  }
  if (values.data !== undefined && values.json !== undefined)
    throw new Error('-d/--data and --json cannot both be set')
  if (values['no-retry'] && values.retries !== undefined)
    throw new Error('--retries and --no-retry cannot both be set')
  const headers = (values.header ?? []).map(header)
  const hasBody = values.data !== undefined || values.json !== undefined
  const redirect = {
    ...(values.follow === undefined ? {} : { follow: oneOf(values.follow, FOLLOW, '--follow') }),
    ...(values['max-redirects'] === undefined
      ? {}
      : { max: whole(values['max-redirects'], '--max-redirects') }),
  }
  const timeout = {
    ...(values.timeout === undefined ? {} : { attempt: milliseconds(values.timeout, '--timeout') }),
    ...(values['total-timeout'] === undefined
      ? {}
      : { total: milliseconds(values['total-timeout'], '--total-timeout') }),
  }
  const init: RequestOptions = {
    method: values.method ?? (hasBody ? 'POST' : 'GET'),
    headers,
    redirect,
    timeout,
    ...(values.data === undefined ? {} : { body: values.data }),
    ...(values.json === undefined ? {} : { json: jsonValue(values.json) }),
    ...(values['no-retry'] ? { retry: false as const } : {}),
    ...(values.retries === undefined ? {} : { retry: { limit: whole(values.retries, '--retries') } }),
  }
  return {
    url: positionals[0] as string,
    init,
    jsonOutput: values['json-output'] ?? false,
    verbose: values.verbose ?? false,
  }
}

function header(text: string): [string, string] {
  const colon = text.indexOf(':')
  if (colon <= 0) throw new Error(`-H/--header takes "Name: value", got ${JSON.stringify(text)}`)
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()]
}

function whole(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${flag} takes a whole number, got ${JSON.stringify(text)}`)
  return Number(text)
}

function milliseconds(text: string, flag: string): number {
  const value = whole(text, flag)
  if (value < 1) throw new Error(`${flag} takes a number of milliseconds from 1, got ${text}`)
  return value
}

function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if (!allowed.includes(text as T))
    throw new Error(`${flag} takes ${allowed.join(', ')}, got ${JSON.stringify(text)}`)
  return text as T
}

function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new Error(`--json takes JSON, got ${JSON.stringify(text)}`)
  }
}
