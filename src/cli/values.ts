/** The values a flag takes, each read and checked: a usage error says which flag and what it takes. */

/** Where a part of the body comes from: the flag's text, a file (`@file`), or stdin (`@-`). */
export type DataSource =
  | { readonly from: 'text'; readonly text: string }
  | { readonly from: 'file'; readonly path: string }
  | { readonly from: 'stdin' }

export function dataSource(text: string): DataSource {
  if (text === '@-') return { from: 'stdin' }
  if (text.startsWith('@') && text.length > 1) return { from: 'file', path: text.slice(1) }
  return { from: 'text', text }
}

export function header(text: string): [string, string] {
  const colon = text.indexOf(':')
  if (colon <= 0) throw new Error(`-H/--header takes "Name: value", got ${JSON.stringify(text)}`)
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()]
}

export function basic(text: string): string {
  const colon = text.indexOf(':')
  if (colon <= 0) throw new Error('-u/--user takes user:password (fetchkind never prompts for one)')
  return `Basic ${Buffer.from(text).toString('base64')}`
}

export function statuses(text: string): number[] {
  return text.split(',').map((part) => {
    const trimmed = part.trim()
    if (!/^[1-5]\d\d$/.test(trimmed))
      throw new Error(`--retry-status takes statuses such as 429,503, got ${JSON.stringify(text)}`)
    return Number(trimmed)
  })
}

export function whole(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${flag} takes a whole number, got ${JSON.stringify(text)}`)
  return Number(text)
}

export function milliseconds(text: string, flag: string): number {
  const value = whole(text, flag)
  if (value < 1) throw new Error(`${flag} takes a number of milliseconds from 1, got ${text}`)
  return value
}

/** curl's seconds, fractions allowed, as milliseconds. */
export function seconds(text: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0)
    throw new Error(
      `${flag} takes a number of seconds above 0, such as 2 or 0.5, got ${JSON.stringify(text)}`,
    )
  return Math.max(1, Math.round(Number(text) * 1000))
}

export function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if (!allowed.includes(text as T))
    throw new Error(`${flag} takes ${allowed.join(', ')}, got ${JSON.stringify(text)}`)
  return text as T
}
