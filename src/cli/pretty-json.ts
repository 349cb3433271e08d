/**
 * JSON re-indented for a person, every token as it came: numbers and strings are copied, not
 * parsed, so that 9007199254740993 stays 9007199254740993 and "\u00e9" stays "\u00e9". Text
 * that is not JSON comes back as it was.
 */
export function prettyJson(text: string, indent = 2): string {
  if (!isJson(text)) return text
  let out = ''
  let depth = 0
  let i = 0
  const newline = () => `\n${' '.repeat(depth * indent)}`
  while (i < text.length) {
    const char = text[i] as string
    if (char === '"') {
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
      continue
    }
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      i += 1
      continue
    }
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']'
      const next = nextToken(text, i + 1)
      if (text[next] === close) {
        out += char + close
        i = next + 1
        continue
      }
      depth += 1
      out += char + newline()
    } else if (char === '}' || char === ']') {
      depth -= 1
      out += newline() + char
    } else if (char === ',') {
      out += `,${newline()}`
    } else if (char === ':') {
      out += ': '
    } else {
      out += char
    }
    i += 1
  }
  return `${out}\n`
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The index after the string that starts at `start` (its closing quote included). */
function stringEnd(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    if (text[i] === '\\') i += 2
    else if (text[i] === '"') return i + 1
    else i += 1
  }
  return i
}

function nextToken(text: string, from: number): number {
  let i = from
  while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i += 1
  return i
}
