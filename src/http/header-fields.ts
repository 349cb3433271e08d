/** Header fields as a record (Node's, undici's) turned into Headers, repeated values kept. */
export function headersFrom(
  fields: Readonly<Record<string, string | readonly string[] | undefined>>,
): Headers {
  const headers = new Headers()
  for (const name in fields) {
    const value = fields[name]
    if (value === undefined) continue
    if (typeof value === 'string') headers.append(name, value)
    else for (const item of value) headers.append(name, item)
  }
  return headers
}

/** A field whose value is a list of field names (Vary, Connection): the names, lower-cased. */
export function fieldNames(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
}
