/** Checking options: the one shape of a programming-mistake error, a TypeError that names the option. */

/** RFC 9110 §5.6.2 token: what a method or a header name must be. */
export function isToken(value: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value)
}

export function optionError(option: string, expected: string, got: unknown): TypeError {
  return new TypeError(`fetchkind: option "${option}" must be ${expected}, got ${show(got)}`)
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'function') return 'a function'
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : `an object (${Object.prototype.toString.call(value)})`
}

/** Throws unless `value` is an object or absent. */
export function checkObject(value: unknown, option: string): asserts value is object | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null)) {
    throw optionError(option, 'an object', value)
  }
}

/**
 * The option that turns a policy on, resolved over a client's parent's (for `extend`): `undefined`
 * keeps the parent's, `false` turns it off, `true` is its defaults and an object its fields, each
 * checked by `resolve`. Anything else is a TypeError naming `option`.
 */
export function resolveSwitchable<O extends object, P>(
  given: O | boolean | undefined,
  parent: P | null,
  option: string,
  resolve: (options: O) => P,
): P | null {
  if (given === undefined) return parent
  if (given === false) return null
  const options = given === true ? ({} as O) : given
  checkObject(options, option)
  return resolve(options)
}

/** One of `allowed`, listed in the error as `'a', 'b' or 'c'`. */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], option: string): T {
  if (!allowed.includes(value as T)) throw optionError(option, listOf(allowed), value)
  return value as T
}

function listOf(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`)
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
}

/** An object with each of `methods` a function (a store, a Redis client). */
export function checkMethods<T>(value: unknown, methods: readonly string[], option: string, what: string): T {
  const object = value as Record<string, unknown> | null
  if (
    typeof object !== 'object' ||
    object === null ||
    !methods.every((name) => typeof object[name] === 'function')
  ) {
    const names =
      methods.length < 2 ? methods.join('') : `${methods.slice(0, -1).join(', ')} and ${methods.at(-1)}`
    throw optionError(option, `${what} with ${names}`, value)
  }
  return value as T
}

/** `value` when it is a function, `undefined` when it is not given; a TypeError otherwise. */
export function checkFunction<F>(value: F | undefined, option: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw optionError(option, 'a function', value)
  return value
}

export function checkBoolean(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') throw optionError(option, 'a boolean', value)
  return value
}

/** A whole number from `min` (a count: of calls, of attempts, of probes). */
export function checkWhole(value: unknown, option: string, min = 1): number {
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw optionError(option, `a whole number from ${min}`, value)
  }
  return value as number
}

/** setTimeout fires at once for delays past 2^31 - 1 ms. */
const MAX_TIMER = 2_147_483_647

/** A number of milliseconds from `min` that a timer can wait; `alternative` names another accepted value. */
export function checkMilliseconds(value: unknown, option: string, min = 0, alternative?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER) {
    const expected = `a number of milliseconds from ${min} to ${MAX_TIMER}`
    throw optionError(option, alternative ? `${expected}, ${alternative}` : expected, value)
  }
  return value
}

export function checkBytes(value: unknown, option: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw optionError(option, 'a whole number of bytes', value)
  return value as number
}

/**
 * The names an options object takes, each a leaf (`true`: its value is not an options object whose
 * names are checked — a function, a store, a list, headers) or the names of the object it may hold.
 * Checked at the call (options/names.ts).
 */
export type OptionNames = { readonly [name: string]: true | OptionNames }

/** `OptionNames` for the options type `T`: every name it has, and no other. */
export type NamesOf<T> = { readonly [K in keyof Required<T>]: true | OptionNames }

/** A hook option, one function or a list, after the hooks `inherited` (the client's, a parent's). */
export function checkHooks<F>(value: F | readonly F[] | undefined, option: string, inherited: readonly F[]) {
  if (value === undefined) return inherited
  const added = Array.isArray(value) ? (value as readonly F[]) : [value as F]
  if (!added.every((hook) => typeof hook === 'function'))
    throw optionError(option, 'a function or a list of them', value)
  return [...inherited, ...added]
}
