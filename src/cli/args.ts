/** The command line, parsed and checked: what to send, how, and how to report it; or a usage error. */
import { redactUrlText } from '../guard/redact.ts'
import type { RequestOptions } from '../options/types.ts'
import { FOLLOW } from '../redirect/options.ts'
import type { ExitCodes } from './exit-codes.ts'
import { type Expectation, expectHeader, expectJson, expectStatus } from './expect.ts'
import { flagError, parseFlags, type Values } from './flags.ts'
import {
  basic,
  connectToEntry,
  type DataSource,
  dataSource,
  type FormField,
  formField,
  header,
  oneOf,
  resolveEntry,
  seconds,
  statuses,
  whole,
} from './values.ts'

export type BodySpec =
  | {
      readonly type: 'data'
      /** Each `-d`/`--data-binary`, in order; `binary: false` drops CR and LF from a file, as curl's -d. */
      readonly parts: readonly { readonly source: DataSource; readonly binary: boolean }[]
      /** From `--json`: sent as written, once checked to be JSON. */
      readonly json: boolean
    }
  | {
      /** `-F`: multipart/form-data, each field text or a file's contents. */
      readonly type: 'form'
      readonly fields: readonly FormField[]
    }

export interface TransportSpec {
  readonly kind: 'default' | 'undici' | 'fetch'
  /** `-k`: a certificate nobody vouches for is accepted. */
  readonly insecure?: boolean
  /** `--resolve`, `--connect-to`, `-H Host:`: where a host name connects, by name. */
  readonly resolve?: Readonly<Record<string, string>>
  readonly connectTimeout?: number
  readonly proxy?: string
  readonly caFile?: string
  readonly certFile?: string
  readonly keyFile?: string
  readonly http2?: boolean
  readonly socketPath?: string
}

export interface OutputSpec {
  /** Where the body goes: a file, or stdout (`null`). */
  readonly file: string | null
  /** `-o -`: stdout was asked for by name, so a binary body goes to a terminal too, as curl's. */
  readonly toStdout: boolean
  readonly include: boolean
  readonly silent: boolean
  readonly showError: boolean
  readonly verbose: boolean
  readonly jsonOutput: boolean
  /** `null`: pretty on a terminal only. */
  readonly pretty: boolean | null
}

export interface Invocation {
  readonly url: string
  readonly init: RequestOptions
  readonly body: BodySpec | null
  readonly transport: TransportSpec
  readonly output: OutputSpec
  readonly expectations: readonly Expectation[]
  readonly exitCodes: ExitCodes
}

export type ParsedArgs =
  | { readonly type: 'run'; readonly invocation: Invocation }
  | { readonly type: 'help' | 'version'; readonly exitCodes: ExitCodes }
  | { readonly type: 'usage-error'; readonly message: string; readonly exitCodes: ExitCodes }

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  // Known before anything else can fail, so that even a usage error exits as the caller asked.
  const exitCodes: ExitCodes = argv.some(
    (arg, i) => arg === '--exit-codes=simple' || (arg === '--exit-codes' && argv[i + 1] === 'simple'),
  )
    ? 'simple'
    : 'full'
  let parsed: ReturnType<typeof parseFlags>
  try {
    parsed = parseFlags(argv)
  } catch (error) {
    return { type: 'usage-error', message: flagError(error as Error & { code?: string }), exitCodes }
  }
  const { values, positionals } = parsed
  if (values.help) return { type: 'help', exitCodes }
  if (values.version) return { type: 'version', exitCodes }
  try {
    return { type: 'run', invocation: invocation(values, positionals, exitCodes) }
  } catch (error) {
    return { type: 'usage-error', message: (error as Error).message, exitCodes }
  }
}

function invocation(values: Values, positionals: string[], exitCodes: ExitCodes): Invocation {
  if (positionals.length !== 1) {
    throw new Error(
      positionals.length === 0 ? 'a URL is required' : `one URL only, got ${positionals.length}`,
    )
  }
  if (values['exit-codes'] !== undefined) oneOf(values['exit-codes'], ['full', 'simple'], '--exit-codes')
  const body = bodySpec(values)
  if (values.head && body) throw new Error('-I/--head sends no body: drop -d, --data-binary, --json or -F')
  // Read once: a Host header names the virtual host, the rest are sent as they are.
  const given = (values.header ?? []).map(header)
  const isHost = ([name]: [string, string]) => name.toLowerCase() === 'host'
  const virtualHost = hostHeader(given.filter(isHost).at(-1)?.[1], withScheme(positionals[0] as string))
  return {
    url: virtualHost.url,
    init: requestInit(
      values,
      given.filter((field) => !isHost(field)),
      body,
    ),
    body,
    transport: transportSpec(values, virtualHost.resolve),
    output: outputSpec(values),
    expectations: [
      ...(values['expect-status'] ?? []).map(expectStatus),
      ...(values['expect-header'] ?? []).map(expectHeader),
      ...(values['expect-json'] ?? []).map(expectJson),
    ],
    exitCodes,
  }
}

/**
 * curl's and HTTPie's reading of a URL without a scheme: `http://`; `:port/path` is localhost's.
 * A scheme is a name and a colon not followed by a port (`localhost:8080` has none): a URL that
 * has one, however mangled (`http:\\u:pw@h/`), is left for the URL parser and its redacted error.
 */
function withScheme(url: string): string {
  if (/^[a-z][a-z\d+.-]*:(?!\d)/i.test(url)) return url
  return url.startsWith(':') ? `http://localhost${url}` : `http://${url}`
}

/**
 * `-H 'Host: name'`, curl's way to reach a virtual host at an address: the URL is sent to `name`,
 * which connects where the URL pointed, so that the request carries it as its Host (and, over
 * TLS, as the name asked for, as `--resolve` does).
 */
function hostHeader(
  value: string | undefined,
  url: string,
): { url: string; resolve: Record<string, string> } {
  if (value === undefined) return { url, resolve: {} }
  const target = URL.parse(url)
  const host = URL.parse(`http://${value}`)
  if (!target || !host || host.pathname !== '/' || (host.port !== '' && host.port !== target.port))
    throw new Error(`-H Host: takes the URL's host name to send instead, got ${JSON.stringify(value)}`)
  const resolve = { [host.hostname]: target.hostname.replace(/^\[|\]$/g, '') }
  target.hostname = host.hostname
  return { url: target.href, resolve }
}

/** The request's options; `headers` are the caller's own, which the flags add to. */
function requestInit(values: Values, headers: [string, string][], body: BodySpec | null): RequestOptions {
  if (values.user !== undefined) headers.push(['authorization', basic(values.user)])
  if (values['user-agent'] !== undefined) headers.push(['user-agent', values['user-agent']])
  const named = (wanted: string) => headers.some(([name]) => name.toLowerCase() === wanted)
  if (body?.type === 'data' && body.json) {
    if (!named('content-type')) headers.push(['content-type', 'application/json'])
    if (!named('accept')) headers.push(['accept', 'application/json'])
  } else if (body?.type === 'data' && !named('content-type')) {
    // curl's -d and --data-binary say a form is coming, and servers that read forms expect it.
    headers.push(['content-type', 'application/x-www-form-urlencoded'])
  }
  if (values.location && values.follow !== undefined && values.follow !== 'always')
    throw new Error('-L/--location and --follow disagree: give one')
  if (values['max-redirects'] !== undefined && values['max-redirs'] !== undefined)
    throw new Error('--max-redirects and --max-redirs are the same: give one')
  const maxRedirects = values['max-redirects'] ?? values['max-redirs']
  const redirect = {
    follow: values.location ? ('always' as const) : oneOf(values.follow ?? 'same-origin', FOLLOW, '--follow'),
    ...(maxRedirects === undefined
      ? {}
      : {
          max: whole(maxRedirects, values['max-redirs'] === undefined ? '--max-redirects' : '--max-redirs'),
        }),
  }
  const timeout = {
    ...(values['attempt-timeout'] === undefined
      ? {}
      : { attempt: seconds(values['attempt-timeout'], '--attempt-timeout') }),
    ...(values['max-time'] === undefined ? {} : { total: seconds(values['max-time'], '-m/--max-time') }),
  }
  return {
    method: values.method ?? (values.head ? 'HEAD' : body ? 'POST' : 'GET'),
    headers,
    redirect,
    timeout,
    // Bytes, as they came: the CLI prints them as they are (and re-indents JSON only when asked).
    // --json-output shows the body as the client decodes it, inside the result.
    ...(values['json-output'] ? {} : { responseType: 'bytes' as const }),
    ...retryOptions(values),
  }
}

function retryOptions(values: Values): Pick<RequestOptions, 'retry'> {
  if (values.retry !== undefined && values.retries !== undefined)
    throw new Error('--retry and --retries are the same: give one')
  // curl's name, and fetchkind's.
  const limit = values.retry ?? values.retries
  const knobs = values['retry-status'] ?? values['retry-delay'] ?? values['retry-after-max']
  if (values['no-retry']) {
    if (limit !== undefined || knobs !== undefined)
      throw new Error('--no-retry cannot go with --retry, --retry-status, --retry-delay or --retry-after-max')
    return { retry: false }
  }
  const delay =
    values['retry-delay'] === undefined ? undefined : seconds(values['retry-delay'], '--retry-delay', 0)
  return {
    retry: {
      ...(limit === undefined
        ? {}
        : { limit: whole(limit, values.retry === undefined ? '--retries' : '--retry') }),
      ...(values['retry-status'] === undefined ? {} : { statusCodes: statuses(values['retry-status']) }),
      ...(delay === undefined ? {} : { backoff: { initial: delay, max: delay, jitter: 'none' as const } }),
      ...(values['retry-after-max'] === undefined
        ? {}
        : { maxRetryAfter: seconds(values['retry-after-max'], '--retry-after-max', 0) }),
    },
  }
}

function bodySpec(values: Values): BodySpec | null {
  const parts = [
    ...(values.data ?? []).map((text) => ({ source: dataSource(text), binary: false })),
    ...(values['data-binary'] ?? []).map((text) => ({ source: dataSource(text), binary: true })),
  ]
  if (values.form !== undefined) {
    if (parts.length > 0 || values.json !== undefined)
      throw new Error('-F/--form cannot go with -d, --data-binary or --json: give one kind of body')
    return { type: 'form', fields: values.form.map(formField) }
  }
  if (values.json !== undefined) {
    if (parts.length > 0) throw new Error('--json cannot go with -d or --data-binary')
    return { type: 'data', parts: [{ source: dataSource(values.json), binary: true }], json: true }
  }
  return parts.length === 0 ? null : { type: 'data', parts, json: false }
}

const UNDICI_ONLY = [
  'insecure',
  'resolve',
  'connect-to',
  'connect-timeout',
  'proxy',
  'cacert',
  'cert',
  'key',
  'http2',
  'http1.1',
  'unix-socket',
] as const

function transportSpec(values: Values, hostResolve: Record<string, string>): TransportSpec {
  const kind = oneOf(values.transport ?? 'default', ['default', 'undici', 'fetch'], '--transport')
  const resolve = {
    ...hostResolve,
    ...Object.fromEntries((values.resolve ?? []).map(resolveEntry)),
    ...Object.fromEntries((values['connect-to'] ?? []).map(connectToEntry)),
  }
  if (kind === 'fetch') {
    const given = UNDICI_ONLY.find((flag) => values[flag] !== undefined)
    if (given) throw new Error(`--${given} needs the undici transport, not --transport fetch`)
    if (Object.keys(hostResolve).length > 0)
      throw new Error('-H Host: needs the undici transport, not --transport fetch')
  }
  if (values.key !== undefined && values.cert === undefined) throw new Error('--key goes with --cert')
  if (values.cert !== undefined && values.key === undefined) throw new Error('--cert needs --key')
  if (values.proxy !== undefined && !/^https?:\/\//i.test(values.proxy))
    throw new Error(
      `--proxy takes an http:// or https:// URL, got ${JSON.stringify(redactUrlText(values.proxy))}`,
    )
  return {
    kind,
    ...(values.insecure ? { insecure: true } : {}),
    ...(Object.keys(resolve).length > 0 ? { resolve } : {}),
    ...(values['connect-timeout'] === undefined
      ? {}
      : { connectTimeout: seconds(values['connect-timeout'], '--connect-timeout') }),
    ...(values.proxy === undefined ? {} : { proxy: values.proxy }),
    ...(values.cacert === undefined ? {} : { caFile: values.cacert }),
    ...(values.cert === undefined ? {} : { certFile: values.cert }),
    ...(values.key === undefined ? {} : { keyFile: values.key }),
    ...httpVersion(values),
    ...(values['unix-socket'] === undefined ? {} : { socketPath: values['unix-socket'] }),
  }
}

/** HTTP/2 is offered by default (as undici 8 does); --http1.1 keeps to HTTP/1.1, as curl's. */
function httpVersion(values: Values): { http2?: boolean } {
  if (values.http2 && values['http1.1']) throw new Error('--http2 and --http1.1: give one')
  return values['http1.1'] ? { http2: false } : values.http2 ? { http2: true } : {}
}

function outputSpec(values: Values): OutputSpec {
  if (values['show-error'] && !values.silent) throw new Error('-S/--show-error goes with -s/--silent')
  if (values['json-output'] && (values.include || values.head || values.output !== undefined))
    throw new Error('--json-output prints the whole result: drop -i, -I and -o')
  return {
    file: values.output === undefined || values.output === '-' ? null : values.output,
    toStdout: values.output === '-',
    include: Boolean(values.include || values.head),
    silent: values.silent ?? false,
    showError: values['show-error'] ?? false,
    verbose: values.verbose ?? false,
    jsonOutput: values['json-output'] ?? false,
    pretty: pretty(values),
  }
}

function pretty(values: Values): boolean | null {
  if (values.pretty && values['no-pretty']) throw new Error('--pretty and --no-pretty: give one')
  return values.pretty ? true : values['no-pretty'] ? false : null
}
