/** Every flag the command takes, as node:util's parseArgs reads them; usage.ts says what each does. */
import { parseArgs } from 'node:util'
import { nearestName } from '../ground/nearest.ts'

const FLAGS = {
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd', multiple: true },
  'data-binary': { type: 'string', multiple: true },
  json: { type: 'string' },
  form: { type: 'string', short: 'F', multiple: true },
  user: { type: 'string', short: 'u' },
  'user-agent': { type: 'string', short: 'A' },
  location: { type: 'boolean', short: 'L' },
  follow: { type: 'string' },
  'max-redirects': { type: 'string' },
  'max-redirs': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'attempt-timeout': { type: 'string' },
  'max-time': { type: 'string', short: 'm' },
  retry: { type: 'string' },
  retries: { type: 'string' },
  'no-retry': { type: 'boolean' },
  'retry-status': { type: 'string' },
  'retry-delay': { type: 'string' },
  'retry-after-max': { type: 'string' },
  transport: { type: 'string' },
  proxy: { type: 'string' },
  insecure: { type: 'boolean', short: 'k' },
  resolve: { type: 'string', multiple: true },
  'connect-to': { type: 'string', multiple: true },
  cacert: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  http2: { type: 'boolean' },
  'http1.1': { type: 'boolean' },
  'unix-socket': { type: 'string' },
  output: { type: 'string', short: 'o' },
  include: { type: 'boolean', short: 'i' },
  head: { type: 'boolean', short: 'I' },
  silent: { type: 'boolean', short: 's' },
  'show-error': { type: 'boolean', short: 'S' },
  verbose: { type: 'boolean', short: 'v' },
  pretty: { type: 'boolean' },
  'no-pretty': { type: 'boolean' },
  'json-output': { type: 'boolean' },
  'expect-status': { type: 'string', multiple: true },
  'expect-header': { type: 'string', multiple: true },
  'expect-json': { type: 'string', multiple: true },
  'exit-codes': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

/** The flags and the URL as given; throws on a flag it does not know or a value it lacks (see flagError). */
export function parseFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: FLAGS })
}

export type Values = ReturnType<typeof parseFlags>['values']

/**
 * parseArgs's error as one line a person reads: an unknown flag with the nearest known one, a
 * missing value with its flag (parseArgs's own text quotes unevenly and runs on).
 */
export function flagError(error: Error & { code?: string }): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(error.message)?.[1] ?? ''
    const retired = RETIRED[flag]
    if (retired) return `${flag} took milliseconds and is gone: ${retired}`
    const near = nearestName(flag, FLAG_SPELLINGS)
    return `unknown option ${flag}${near ? `: did you mean ${near}?` : ''}`
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const named = /'(?:-(\w), )?--([\w.-]+)/.exec(error.message)
    if (named) return `${named[1] ? `-${named[1]}/` : ''}--${named[2]} needs a value`
  }
  return error.message.split('\n')[0] ?? 'bad arguments'
}

/** Every flag as it may be typed: `--name`, and `-x` for those with a short form. */
const FLAG_SPELLINGS: readonly string[] = Object.entries(FLAGS).flatMap(([name, flag]) => [
  `--${name}`,
  ...('short' in flag ? [`-${flag.short}`] : []),
])

/** fetchkind's own flags that took milliseconds beside curl's seconds, and what replaced each. */
const RETIRED: Readonly<Record<string, string>> = {
  '--timeout': '--attempt-timeout <seconds>',
  '--total-timeout': '-m/--max-time <seconds>',
  '--max-retry-after': '--retry-after-max <seconds>',
}
