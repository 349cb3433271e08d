/**
 * Headers over a record of fields — undici's parsed response head, a cache entry's stored
 * fields — read in place until something needs a real copy.
 *
 * Most responses are asked for a field or two (Content-Type, Content-Length, Cache-Control) and
 * never iterated, while filling a WHATWG Headers validates and normalises every field (half a
 * microsecond of the dozen fetchkind's own code costs a small call: bench:overhead). So `get` and
 * `has` read the record, and anything else — iterating, changing, `getSetCookie`, inspecting —
 * first fills the Headers it is, then behaves as Headers does. Either way it answers as a Headers filled with `headersFrom`
 * would (test/http/field-headers.test.ts holds it to that).
 */

import { IS_NODE } from '../ground/runtime.ts'

/** Header fields as a record: lower-cased names, a list where a field repeats. */
export type FieldRecord = Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * `fields` as Headers: a FieldHeaders where it can be read in place, else a Headers filled now.
 * Only on Node: its Headers copies a subclass through its iterator (`new Headers(h)`,
 * `new Response(body, { headers: h })`), where Deno's and Bun's read a Headers' own list directly,
 * which for a FieldHeaders not yet filled is empty.
 */
export function fieldHeaders(fields: FieldRecord): Headers {
  return IS_NODE && readableInPlace(fields) ? new FieldHeaders(fields, NONE) : headersFrom(fields)
}

/**
 * A record served many times (a stored response's fields) as Headers, with `overrides` in place
 * of its fields of those names. The record is checked once, the first time it is served.
 */
export function servedFieldHeaders(
  fields: FieldRecord,
  overrides: Readonly<Record<string, string>>,
): Headers {
  let readable = CHECKED.get(fields)
  if (readable === undefined) {
    readable = readableInPlace(fields)
    CHECKED.set(fields, readable)
  }
  if (IS_NODE && readable && readableInPlace(overrides)) return new FieldHeaders(fields, overrides)
  return headersFrom({ ...fields, ...overrides })
}

const NONE: Readonly<Record<string, string>> = Object.freeze({})

/** Whether each record served so far reads in place: records are not changed once stored. */
const CHECKED = new WeakMap<FieldRecord, boolean>()

/** Header fields as a record (Node's, undici's) turned into Headers, repeated values kept. */
export function headersFrom(fields: FieldRecord): Headers {
  const headers = new Headers()
  appendFields((name, value) => headers.append(name, value), fields)
  return headers
}

/**
 * A field name as Headers keeps it (an RFC 9110 token, lower-cased), and a value it would keep
 * unchanged: no NUL, CR or LF, and no whitespace at either end for it to strip.
 */
const NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/
const VALUE = /^(?:[^\0\r\n\t ](?:[^\0\r\n]*[^\0\r\n\t ])?)?$/

/** Whether every field reads in place the same as through Headers; a record that does not is copied. */
function readableInPlace(fields: FieldRecord): boolean {
  for (const name in fields) {
    if (!Object.hasOwn(fields, name) || !NAME.test(name)) return false
    const value = fields[name]
    if (typeof value === 'string') {
      if (!VALUE.test(value)) return false
    } else if (value !== undefined) {
      if (!Array.isArray(value)) return false
      for (const item of value) if (typeof item !== 'string' || !VALUE.test(item)) return false
    }
  }
  return true
}

/** Appends every field of `fields`, a repeated one once per value. */
function appendFields(append: (name: string, value: string) => void, fields: FieldRecord): void {
  for (const name in fields) {
    const value = fields[name]
    if (value === undefined) continue
    if (typeof value === 'string') append(name, value)
    else for (const item of value) append(name, item)
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/**
 * Whether `name` is a field name, remembered for the few a program asks for (a miss is asked
 * about on most responses: Content-Encoding, Location), forgotten past a few hundred.
 */
function isName(name: string): boolean {
  if (NAMES_SEEN.has(name)) return true
  if (!NAME.test(name)) return false
  if (NAMES_SEEN.size >= MAX_NAMES_SEEN) NAMES_SEEN.clear()
  NAMES_SEEN.add(name)
  return true
}
const NAMES_SEEN = new Set<string>()
const MAX_NAMES_SEEN = 256

class FieldHeaders extends Headers {
  /** The fields still read in place; `null` once copied into the Headers this is. */
  #fields: FieldRecord | null
  /** Fields read in place of the record's own of the same names. */
  readonly #overrides: FieldRecord

  constructor(fields: FieldRecord, overrides: FieldRecord) {
    super()
    this.#fields = fields
    this.#overrides = overrides
  }

  override get(name: string): string | null {
    const value = this.#read(name)
    if (value === undefined) {
      this.#fill()
      return super.get(name)
    }
    if (value === null || typeof value === 'string') return value
    return value.join(', ')
  }

  override has(name: string): boolean {
    const value = this.#read(name)
    if (value !== undefined) return value !== null
    this.#fill()
    return super.has(name)
  }

  override append(name: string, value: string): void {
    this.#fill()
    super.append(name, value)
  }

  override set(name: string, value: string): void {
    this.#fill()
    super.set(name, value)
  }

  override delete(name: string): void {
    this.#fill()
    super.delete(name)
  }

  override getSetCookie(): string[] {
    this.#fill()
    return super.getSetCookie()
  }

  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.#fill()
    super.forEach(callback, thisArg)
  }

  override entries(): HeadersIterator<[string, string]> {
    this.#fill()
    return super.entries()
  }

  override keys(): HeadersIterator<string> {
    this.#fill()
    return super.keys()
  }

  override values(): HeadersIterator<string> {
    this.#fill()
    return super.values()
  }

  // A Headers' own iterator is its `entries`; this one's must fill first too, and is not
  // Headers.prototype.entries, so that Headers and Response copy it through it (test/http).
  override [Symbol.iterator](): HeadersIterator<[string, string]> {
    this.#fill()
    return super.entries()
  }

  /** What `console.log` and `util.inspect` show: the fields, copied in first. */
  [INSPECT](...args: unknown[]): unknown {
    this.#fill()
    const inspect = (
      Headers.prototype as unknown as Record<symbol, ((...args: unknown[]) => unknown) | undefined>
    )[INSPECT]
    return inspect ? inspect.apply(this, args) : this
  }

  /**
   * The field as read in place: its value or values, `null` when the record has none, or
   * `undefined` when it cannot say — the fields are copied already, or the name is not a
   * token (Headers decides, and throws for it).
   */
  #read(name: string): string | readonly string[] | null | undefined {
    const fields = this.#fields
    if (fields === null || typeof name !== 'string') return undefined
    const key = name.toLowerCase()
    const value = Object.hasOwn(this.#overrides, key) ? this.#overrides[key] : fields[key]
    // What the record inherits (`constructor`, `__proto__`) is no field: only strings and lists are.
    if (typeof value === 'string' || Array.isArray(value)) return value
    return isName(key) ? null : undefined
  }

  /** Copies the fields into the Headers this is, once: from then on it is one. */
  #fill(): void {
    const fields = this.#fields
    if (fields === null) return
    this.#fields = null
    appendFields((name, value) => super.append(name, value), { ...fields, ...this.#overrides })
  }
}
