/**
 * Cache-Control (RFC 9111 §5.2), `Age` (§5.1) and delta-seconds (§1.2.2): the grammars the cache
 * reads its directions from. Pure; garbage is ignored member by member, never thrown.
 */

/** A field's directives: lower-cased name → argument, or `true` for one given without. */
export type Directives = ReadonlyMap<string, string | true>

/** RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2^31. */
export const MAX_DELTA_SECONDS = 2 ** 31

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/
const NO_DIRECTIVES: Directives = new Map()

/**
 * Directives whose presence lets a cache reuse a response more (store it, serve it stale, skip a
 * revalidation, or ignore `no-store`): given malformed, they are dropped.
 */
const GRANTING = new Set([
  'public',
  'immutable',
  'stale-while-revalidate',
  'stale-if-error',
  'max-stale',
  'must-understand',
  's-maxage',
])

/**
 * `#( token [ "=" ( token / quoted-string ) ] )`. Names are case-insensitive; a directive given
 * twice keeps its first argument (§4.2.1: "the first occurrence should be used"). A member that
 * does not parse (`no-cache = "x"`, `max-age= 5`, an unclosed quote) is read on the safe side,
 * its neighbours kept: a directive that restricts reuse (`no-cache`, `no-store`, `max-age`…) is
 * taken as present with an empty argument (`max-age` then has no usable value, and §4.2.1 makes
 * such a response stale); one that grants more reuse (GRANTING) is dropped. A quoted argument is
 * unquoted, so `max-age="5"` reads as `max-age=5`.
 */
export function parseCacheControl(value: string | null): Directives {
  if (value === null || value === '') return NO_DIRECTIVES
  const directives = new Map<string, string | true>()
  let at = 0
  while (at < value.length) {
    const start = at
    const member = readMember(value, at)
    at = member.end + 1
    if (member.valid) {
      if (!directives.has(member.name)) directives.set(member.name, member.argument)
    } else {
      // Its text may hold more members than it seems to (a stray quote swallows its neighbours):
      // every restricting directive it names counts, so that `x="a, no-cache` still revalidates.
      restrictingIn(value.slice(start, member.end), directives)
    }
  }
  return directives
}

/** A token at the start of a member, after any whitespace: the name a malformed member gives. */
const LEADING_TOKEN = new RegExp(`^[ \\t]*(${TCHAR.source}+)`)

/** The names at the start of each comma-separated part of `text` that restrict reuse, each as present with no usable argument. */
function restrictingIn(text: string, directives: Map<string, string | true>): void {
  for (const part of text.split(',')) {
    const name = LEADING_TOKEN.exec(part)?.[1]?.toLowerCase()
    if (name && !GRANTING.has(name) && !directives.has(name)) directives.set(name, '')
  }
}

interface Member {
  /** Lower-cased; empty when the member does not start with a token. Meaningful only when valid. */
  readonly name: string
  readonly argument: string | true
  /** Whether the whole member parses. */
  readonly valid: boolean
  /** Where the member ends: its comma, or the end of the field. */
  readonly end: number
}

function readMember(value: string, start: number): Member {
  let at = skipSpace(value, start)
  const nameStart = at
  while (at < value.length && TCHAR.test(value[at] as string)) at++
  const name = value.slice(nameStart, at).toLowerCase()
  let argument: string | true = true
  let valid = name !== ''
  if (valid && value[at] === '=') {
    at++
    if (value[at] === '"') {
      const quoted = readQuoted(value, at)
      argument = quoted.text ?? ''
      valid = quoted.text !== null
      at = quoted.end
    } else {
      const argumentStart = at
      while (at < value.length && TCHAR.test(value[at] as string)) at++
      argument = value.slice(argumentStart, at)
      valid = argument !== ''
    }
  }
  at = skipSpace(value, at)
  if (at < value.length && value[at] !== ',') valid = false
  const end = nextComma(value, at)
  return { name, argument, valid, end }
}

/** A quoted-string from the opening quote at `start`: its text unescaped, or `null` unclosed. */
function readQuoted(value: string, start: number): { text: string | null; end: number } {
  let text = ''
  for (let at = start + 1; at < value.length; at++) {
    const char = value[at] as string
    if (char === '"') return { text, end: at + 1 }
    if (char === '\\') at++
    text += value[at] ?? ''
  }
  return { text: null, end: value.length }
}

/** The next comma outside a quoted-string, or the end. */
function nextComma(value: string, start: number): number {
  let quoted = false
  for (let at = start; at < value.length; at++) {
    const char = value[at]
    if (quoted && char === '\\') at++
    else if (char === '"') quoted = !quoted
    else if (char === ',' && !quoted) return at
  }
  return value.length
}

function skipSpace(value: string, at: number): number {
  while (value[at] === ' ' || value[at] === '\t') at++
  return at
}

/**
 * A directive's delta-seconds argument (`1*DIGIT`, leading zeros allowed), capped at 2^31;
 * `null` when it is absent or anything else (`3600.0`, `-1`, `a3600`, no argument at all).
 */
export function deltaSeconds(argument: string | true | undefined): number | null {
  if (typeof argument !== 'string' || !/^\d+$/.test(argument)) return null
  return Math.min(Number(argument), MAX_DELTA_SECONDS)
}

/**
 * `Age` (§5.1): a non-negative integer of seconds. Of several values (lines joined by commas)
 * the first counts; one that is not delta-seconds (`7200.0`, `-1`, `abc`) is ignored, as §5.1
 * says, and reads as 0.
 */
export function parseAge(value: string | null): number {
  if (value === null) return 0
  const comma = value.indexOf(',')
  return deltaSeconds((comma === -1 ? value : value.slice(0, comma)).trim()) ?? 0
}
