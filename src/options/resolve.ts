/**
 * A client's options, checked once when it is made, and the field checks a request's options
 * share: a programming mistake throws a TypeError that names the option; nothing downstream re-checks.
 */
import type { Timeouts } from '../call/options.ts'
import {
  checkBytes,
  checkHooks,
  checkMilliseconds,
  checkObject,
  checkOneOf,
  optionError,
} from '../ground/validate.ts'
import { resolveAddressGuard } from '../guard/address-guard.ts'
import { DEFAULT_SENSITIVE_HEADERS, resolveSensitiveHeaders } from '../guard/sensitive-headers.ts'
import { RESULT_KINDS } from '../result/kinds.ts'
import { isStandardSchema, type StandardSchemaV1 } from '../result/schema.ts'
import type { FailureKind } from '../result/types.ts'
import { defaultTransport } from '../transport/default.ts'
import { defaultRequestHeaders } from '../transport/default-headers.ts'
import { fetchTransport } from '../transport/fetch.ts'
import { mergeHeaders, mergeSearchParams } from './headers.ts'
import { CLIENT_NAMES, checkNames } from './names.ts'
import { resolvePolicies } from './policies.ts'
import type { CallHooks, ClientDefaults } from './resolved.ts'
import type { ClientOptions, HookOptions, ResponseType, TimeoutOptions } from './types.ts'
import { toBaseUrl } from './url.ts'

export const DEFAULT_TIMEOUT = { attempt: 10_000, total: 30_000 } as const

const RESPONSE_TYPES: readonly ResponseType[] = ['auto', 'json', 'text', 'bytes', 'stream', 'none']
const DEFAULT_MAX_BODY_SIZE = 64 * 1024 * 1024

/**
 * A client's options; for a client made by `extend`, merged over its parent's as a request's are
 * over its client's.
 */
export function resolveClientOptions(options: ClientOptions = {}, parent?: ClientDefaults): ClientDefaults {
  checkObject(options, 'options')
  checkNames(options, CLIENT_NAMES)
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw optionError('fetch', 'a fetch function', options.fetch)
  }
  if (options.transport !== undefined && typeof options.transport !== 'function') {
    throw optionError('transport', 'a transport such as undiciTransport()', options.transport)
  }
  if (options.transport !== undefined && options.fetch !== undefined) {
    throw new TypeError(
      'fetchkind: options "fetch" and "transport" cannot both be set; "fetch" is for the fetch transport',
    )
  }
  return {
    baseUrl: options.baseUrl === undefined ? parent?.baseUrl : toBaseUrl(options.baseUrl),
    headers: mergeHeaders(parent ? new Headers(parent.headers) : defaultRequestHeaders(), options.headers),
    searchParams: mergeSearchParams(new URLSearchParams(parent?.searchParams), options.searchParams),
    responseType: checkResponseType(options.responseType ?? parent?.responseType ?? 'auto'),
    timeout: resolveTimeout(options.timeout, parent?.timeout ?? DEFAULT_TIMEOUT),
    hooks: resolveHooks(options.hooks, parent?.hooks ?? NO_HOOKS),
    sensitiveHeaders: resolveSensitiveHeaders(
      options.sensitiveHeaders,
      parent?.sensitiveHeaders ?? DEFAULT_SENSITIVE_HEADERS,
    ),
    addressGuard:
      options.blockPrivateAddresses === undefined && parent
        ? parent.addressGuard
        : resolveAddressGuard(options.blockPrivateAddresses),
    maxBodySize: checkBytes(
      options.maxBodySize ?? parent?.maxBodySize ?? DEFAULT_MAX_BODY_SIZE,
      'maxBodySize',
    ),
    throwOn: checkThrowOn(options.throwOn) ?? parent?.throwOn ?? NO_KINDS,
    onUploadProgress: checkFunction(options.onUploadProgress, 'onUploadProgress') ?? parent?.onUploadProgress,
    onDownloadProgress:
      checkFunction(options.onDownloadProgress, 'onDownloadProgress') ?? parent?.onDownloadProgress,
    parseJson: checkFunction(options.parseJson, 'parseJson') ?? parent?.parseJson ?? JSON.parse,
    stringifyJson:
      checkFunction(options.stringifyJson, 'stringifyJson') ?? parent?.stringifyJson ?? JSON.stringify,
    transport:
      options.transport ??
      (options.fetch ? fetchTransport(options.fetch) : (parent?.transport ?? defaultTransport())),
    policies: resolvePolicies(options, parent?.policies),
  }
}

export function checkSchema(schema: unknown, responseType: ResponseType): StandardSchemaV1 | undefined {
  if (schema === undefined) return undefined
  if (!isStandardSchema(schema))
    throw optionError('schema', 'a Standard Schema validator (zod, valibot, arktype…)', schema)
  if (responseType === 'stream' || responseType === 'none') {
    throw new TypeError(
      `fetchkind: option "schema" checks a decoded body; responseType '${responseType}' has none`,
    )
  }
  return schema
}

const NO_KINDS: ReadonlySet<FailureKind> = new Set()

const NO_HOOKS: CallHooks = { beforeRequest: [], afterResult: [], afterInterim: [] }

/**
 * The client's hooks, then the request's: those the kernel runs, and `afterResult`. The policies'
 * own (`beforeRedirect`, `beforeRetry`) are theirs to merge.
 */
export function resolveHooks(options: HookOptions | undefined, base: CallHooks): CallHooks {
  if (options === undefined) return base
  checkObject(options, 'hooks')
  const { beforeRequest, afterResult, afterInterim } = options
  if (beforeRequest === undefined && afterResult === undefined && afterInterim === undefined) return base
  return {
    beforeRequest: checkHooks(beforeRequest, 'hooks.beforeRequest', base.beforeRequest),
    afterResult: checkHooks(afterResult, 'hooks.afterResult', base.afterResult),
    afterInterim: checkHooks(afterInterim, 'hooks.afterInterim', base.afterInterim),
  }
}

const FAILURE_KINDS: ReadonlySet<FailureKind> = new Set(
  RESULT_KINDS.filter((kind): kind is FailureKind => kind !== 'success'),
)

/** The kinds `throwOn` lists, checked; `undefined` when it is not given. */
export function checkThrowOn(value: unknown): ReadonlySet<FailureKind> | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((kind) => FAILURE_KINDS.has(kind))) {
    throw optionError(
      'throwOn',
      `a list of result kinds other than 'success' (${[...FAILURE_KINDS].join(', ')})`,
      value,
    )
  }
  return new Set(value)
}

/** `value` when it is a function, `undefined` when it is not given; a TypeError otherwise. */
export function checkFunction<F extends (...args: never[]) => unknown>(
  value: F | undefined,
  option: string,
): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw optionError(option, 'a function', value)
  return value
}

export function checkResponseType(value: unknown): ResponseType {
  return checkOneOf(value, RESPONSE_TYPES, 'responseType')
}

export function resolveTimeout(
  value: TimeoutOptions | number | false | undefined,
  fallback: Timeouts,
): Timeouts {
  if (value === undefined) return fallback
  if (value === false) return { attempt: false, total: false }
  // ky's and got's shorthand: a number bounds each attempt.
  if (typeof value === 'number') return { attempt: checkDuration(value, 'timeout'), total: fallback.total }
  checkObject(value, 'timeout')
  return {
    attempt: checkDuration(value.attempt ?? fallback.attempt, 'timeout.attempt'),
    total: checkDuration(value.total ?? fallback.total, 'timeout.total'),
  }
}

function checkDuration(value: unknown, option: string): number | false {
  return value === false ? false : checkMilliseconds(value, option, 1, 'or false')
}
