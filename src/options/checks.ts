/** The checks of the options the kernel and the client own: each a TypeError naming the option. */
import type { CallOptions, Timeouts } from '../call/options.ts'
import { checkHooks, checkMilliseconds, checkObject, checkOneOf, optionError } from '../ground/validate.ts'
import { RESULT_KINDS } from '../result/kinds.ts'
import { isStandardSchema, type StandardSchemaV1 } from '../result/schema.ts'
import type { FailureKind } from '../result/types.ts'
import type { AfterResultHook, HookOptions, ResponseType, TimeoutOptions } from './types.ts'

/** The hooks the kernel runs, and `afterResult`, which the client runs once the call has ended. */
export interface CallHooks extends Readonly<CallOptions['hooks']> {
  readonly afterResult: readonly AfterResultHook[]
}

const RESPONSE_TYPES: readonly ResponseType[] = ['auto', 'json', 'text', 'bytes', 'stream', 'none']

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
