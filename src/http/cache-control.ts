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
 * `#( token [ "=" ( token / quoted-string ) ] )`. Names are case-insensitive; a directive given
 * twice keeps its first argument (§4.2.1: "the first occurrence should be used"); a member that
 * does not parse (`max-age =5`, `max-age= 5`, an unclosed quote) is skipped on its own, its
 * neighbours kept. A quoted argument is unquoted, so `max-age="5"` reads as `max-age=5`.
 */
export function parseCacheControl(value: string | null): Directives {
  if (value === null || value === '') return NO_DIRECTIVES
  const directives = new Map<string, string | true>()
  let at = 0
  while (at < value.length) {
    const member = readMember(value, at)
    at = member.end + 1
    if (member.name !== null && !directives.has(member.name)) directives.set(member.name, member.argument)
  }
  return directives
}

interface Member {
  /** `null` when the member does not parse. */
  readonly name: string | null
  readonly argument: string | true
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
  return { name: valid ? name : null, argument, end }
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
