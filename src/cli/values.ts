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

/** curl's seconds, fractions allowed, as milliseconds: above 0, or from 0 where `least` is 0. */
export function seconds(text: string, flag: string, least: 0 | 1 = 1): number {
  const valid = /^\d+(\.\d+)?$/.test(text) && (least === 0 || Number(text) > 0)
  if (!valid)
    throw new Error(
      `${flag} takes a number of seconds ${least === 0 ? 'from' : 'above'} 0, such as 2 or 0.5, got ${JSON.stringify(text)}`,
    )
  const ms = Math.round(Number(text) * 1000)
  return least === 0 ? ms : Math.max(1, ms)
}

/** A `-F` field: `name=value`, or `name=@file` for a file's contents, sent as a file. */
export type FormField =
  | { readonly name: string; readonly from: 'text'; readonly text: string }
  | { readonly name: string; readonly from: 'file'; readonly path: string }

export function formField(text: string): FormField {
  const equals = text.indexOf('=')
  if (equals <= 0) throw new Error(`-F/--form takes name=value or name=@file, got ${JSON.stringify(text)}`)
  const name = text.slice(0, equals)
  const value = text.slice(equals + 1)
  return value.startsWith('@') && value.length > 1
    ? { name, from: 'file', path: value.slice(1) }
    : { name, from: 'text', text: value }
}

/** `--resolve HOST:PORT:ADDR`: HOST connects to ADDR (an IPv6 one in brackets or not). */
export function resolveEntry(text: string): [string, string] {
  const match = /^([^:\s]+):(\d+):(\[[^\]]+\]|[^\s]+)$/.exec(text)
  if (!match) throw new Error(`--resolve takes HOST:PORT:ADDRESS, got ${JSON.stringify(text)}`)
  return [match[1] as string, (match[3] as string).replace(/^\[|\]$/g, '')]
}

/**
 * `--connect-to HOST1:PORT1:HOST2:PORT2`: HOST1 connects to HOST2. A port of its own for HOST2 is
 * not there: the connection takes the URL's port.
 */
export function connectToEntry(text: string): [string, string] {
  const match = /^([^:\s]*):(\d*):([^:\s]+):(\d*)$/.exec(text)
  if (!match?.[1]) throw new Error(`--connect-to takes HOST1:PORT1:HOST2:PORT2, got ${JSON.stringify(text)}`)
  const [, from, fromPort, to, toPort] = match as unknown as [string, string, string, string, string]
  if (toPort !== '' && toPort !== fromPort)
    throw new Error(
      `--connect-to reaches another host on the URL's own port only (${from}:${fromPort} to ${to}:${fromPort}): put the port in the URL, or use --resolve`,
    )
  return [from, to]
}

export function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if (!allowed.includes(text as T))
    throw new Error(`${flag} takes ${allowed.join(', ')}, got ${JSON.stringify(text)}`)
  return text as T
}
