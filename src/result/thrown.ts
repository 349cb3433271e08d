/** Anything can be thrown; this says what it was, as text, without throwing itself. */
export function thrownText(value: unknown): string {
  const message = (value as { message?: unknown } | null)?.message
  if (typeof message === 'string' && message !== '') return message
  try {
    return String(value)
  } catch {
    // String() throws for an object whose toString is not a function.
    return Object.prototype.toString.call(value)
  }
}
