/** A field whose value is a list of field names (Vary, Connection): the names, lower-cased. */
export function fieldNames(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
}
