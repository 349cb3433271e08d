/**
 * The option schema: for each option the kernel and the client own, where it may be given, its
 * default (as the options table, docs/options.md, shows it), and how a value given merges over the one it
 * overrides — a client's over its parent's (`extend`), a request's over its client's. Client
 * resolution and each request's preparation both merge with `mergeShared`; the policies' options
 * are the policies' (policies.ts). test/options/schema.test.ts holds the options table to this.
 */
import type { Timeouts } from '../call/options.ts'
import type { ProgressListener } from '../call/progress.ts'
import { checkBytes, checkFunction } from '../ground/validate.ts'
import { DEFAULT_SENSITIVE_HEADERS, resolveSensitiveHeaders } from '../guard/sensitive-headers.ts'
import type { FailureKind } from '../result/types.ts'
import { type CallHooks, checkResponseType, checkThrowOn, resolveHooks, resolveTimeout } from './checks.ts'
import type { ResponseType, SharedOptions } from './types.ts'

/** How one option is taken. */
interface OptionSpec<Given, Resolved> {
  /** The options table's default cell for it (by row, for an option shown as several rows). */
  readonly shown: string | Readonly<Record<string, string>>
  /** Its value when no client in the chain gave one. */
  readonly initial: Resolved
  /** `given` over `inherited`, checked; a TypeError names a mistake. */
  merge(given: Given, inherited: Resolved): Resolved
}

const spec = <Given, Resolved>(option: OptionSpec<Given, Resolved>) => option

const FUNCTION =
  <F extends (...args: never[]) => unknown>(option: string) =>
  (given: F) =>
    checkFunction(given, option) as F

/** The options a client and a request both take, the request's over the client's. */
export const SHARED = {
  responseType: spec({ shown: "`'auto'`", initial: 'auto' as ResponseType, merge: checkResponseType }),
  timeout: spec({
    shown: { 'timeout.attempt': '`10_000`', 'timeout.total': '`30_000`' },
    initial: { attempt: 10_000, total: 30_000 } as Timeouts,
    merge: resolveTimeout,
  }),
  hooks: spec({
    shown: 'none',
    initial: { beforeRequest: [], afterResult: [], afterInterim: [] } as CallHooks,
    merge: resolveHooks,
  }),
  sensitiveHeaders: spec({
    shown: '`[]`',
    initial: DEFAULT_SENSITIVE_HEADERS,
    merge: resolveSensitiveHeaders,
  }),
  maxBodySize: spec({
    shown: '64 MiB on a body read into memory, none on a stream you read',
    initial: undefined as number | undefined,
    merge: (given: number) => checkBytes(given, 'maxBodySize'),
  }),
  throwOn: spec({
    shown: 'none',
    initial: new Set() as ReadonlySet<FailureKind>,
    merge: (given: readonly FailureKind[]) => checkThrowOn(given) as ReadonlySet<FailureKind>,
  }),
  parseJson: spec({
    shown: '`JSON.parse`',
    initial: JSON.parse as (text: string) => unknown,
    merge: FUNCTION<(text: string) => unknown>('parseJson'),
  }),
  stringifyJson: spec({
    shown: '`JSON.stringify`',
    initial: JSON.stringify as (value: unknown) => string,
    merge: FUNCTION<(value: unknown) => string>('stringifyJson'),
  }),
  onUploadProgress: spec({
    shown: 'none',
    initial: undefined as ProgressListener | undefined,
    merge: FUNCTION<ProgressListener>('onUploadProgress'),
  }),
  onDownloadProgress: spec({
    shown: 'none',
    initial: undefined as ProgressListener | undefined,
    merge: FUNCTION<ProgressListener>('onDownloadProgress'),
  }),
} satisfies { readonly [K in keyof SharedOptions]?: OptionSpec<NonNullable<SharedOptions[K]>, unknown> }

type Shared = typeof SHARED
/** The shared options, resolved. */
export type SharedResolved = { readonly [K in keyof Shared]: Shared[K]['initial'] }

const NAMES = Object.keys(SHARED) as (keyof Shared)[]

/** Every shared option's initial value: a client's, with none given and no parent. */
export const INITIAL: SharedResolved = Object.fromEntries(
  NAMES.map((name) => [name, SHARED[name].initial]),
) as SharedResolved

/**
 * `given`'s shared options over `inherited`; `inherited` itself when `given` names none of them,
 * as most requests do, so that they cost nothing to prepare.
 */
export function mergeShared(given: SharedOptions, inherited: SharedResolved): SharedResolved {
  let merged: Record<string, unknown> | undefined
  for (const name of NAMES) {
    const value = given[name]
    if (value === undefined) continue
    merged ??= { ...inherited }
    merged[name] = (SHARED[name].merge as (given: unknown, inherited: unknown) => unknown)(
      value,
      inherited[name],
    )
  }
  return (merged ?? inherited) as SharedResolved
}

/**
 * The options the assembly takes itself — each read where it is used (resolve.ts, prepare.ts) —
 * with where each may be given and the README's default cell.
 */
export const ASSEMBLY: Readonly<
  Record<string, { readonly side: 'both' | 'client' | 'request'; readonly shown: string }>
> = {
  baseUrl: { side: 'both', shown: 'none' },
  headers: { side: 'both', shown: '`user-agent: fetchkind/<version>`, `accept-encoding: gzip, deflate, br`' },
  searchParams: { side: 'both', shown: 'none' },
  blockPrivateAddresses: { side: 'client', shown: '`false`' },
  fetch: { side: 'client', shown: 'none' },
  transport: {
    side: 'client',
    shown:
      "on Node, the undici transport while global fetch is Node's own; elsewhere, and once global fetch is replaced (msw, an instrumented fetch), the fetch transport",
  },
  schema: { side: 'request', shown: 'none' },
  idempotencyKey: { side: 'request', shown: 'none' },
  method: { side: 'request', shown: "`'GET'`" },
  json: { side: 'request', shown: 'none' },
  body: { side: 'request', shown: 'none' },
  signal: { side: 'request', shown: 'none' },
  dispatcher: { side: 'request', shown: "the transport's" },
}
