/** Reading a response's Link field (RFC 8288): the target of one relation, such as the next page. */

/**
 * The target of the first link whose `rel` names `relation` (case-insensitively, among the
 * space-separated relation types of its `rel`), resolved against `base`; `null` when there is none
 * or it is no URL. Never throws, whatever the field holds.
 */
export function linkTarget(value: string | null, relation: string, base: URL): URL | null {
  if (value === null) return null
  const wanted = relation.toLowerCase()
  for (const link of links(value)) {
    if (link.rel.includes(wanted)) return URL.parse(link.target, base)
  }
  return null
}

interface Link {
  readonly target: string
  /** The relation types, lower-cased. */
  readonly rel: readonly string[]
}

/** `<target>; param=value; param="quoted, value", <target>…`: commas inside quotes or brackets are not separators. */
function* links(value: string): Generator<Link> {
  let at = 0
  while (at < value.length) {
    const open = value.indexOf('<', at)
    if (open === -1) return
    const close = value.indexOf('>', open + 1)
    if (close === -1) return
    const target = value.slice(open + 1, close).trim()
    const { params, end } = parameters(value, close + 1)
    const rel = params.get('rel')
    yield { target, rel: rel ? rel.toLowerCase().split(/\s+/).filter(Boolean) : [] }
    at = end
  }
}

/** The `; name=value` parameters from `start` to the comma that ends the link (or the end). */
function parameters(value: string, start: number): { params: Map<string, string>; end: number } {
  const params = new Map<string, string>()
  let at = start
  while (at < value.length) {
    const char = value[at]
    if (char === ',') return { params, end: at + 1 }
    if (char !== ';') {
      at++
      continue
    }
    PARAMETER.lastIndex = at
    const match = PARAMETER.exec(value)
    if (!match) {
      at++
      continue
    }
    const name = (match[1] ?? '').toLowerCase()
    const text = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '')
    // RFC 8288 §3.3: the first occurrence of rel counts.
    if (!params.has(name)) params.set(name, text)
    at = PARAMETER.lastIndex
  }
  return { params, end: at }
}

/** `; name`, `; name=token` or `; name="quoted"`, matched where the last one ended. */
const PARAMETER = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s]*)))?/y
