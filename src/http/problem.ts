/** RFC 9457 problem details, read from an `application/problem+json` body. */

export interface ProblemDetails {
  /** A URI reference naming the problem type; `'about:blank'` when absent (RFC 9457 §4.2.1). */
  readonly type: string
  readonly title?: string
  readonly status?: number
  readonly detail?: string
  readonly instance?: string
  /** Extension members, as sent. */
  readonly [extension: string]: unknown
}

const STRING_MEMBERS = ['type', 'title', 'detail', 'instance'] as const

export function isProblemJson(contentType: string | null): boolean {
  return mediaType(contentType) === 'application/problem+json'
}

/** The media type of a Content-Type value, lower-cased and without parameters. */
export function mediaType(contentType: string | null): string {
  if (contentType === null) return ''
  // Read on every response: a slice, not a split's array, for the part before any parameter.
  const end = contentType.indexOf(';')
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase()
}

/**
 * Reads a parsed problem+json body. RFC 9457 §3.1: a member whose value has the wrong type is
 * ignored, not an error; a body that is not a JSON object is no problem at all.
 */
export function toProblemDetails(body: unknown): ProblemDetails | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null
  const problem: Record<string, unknown> = { ...body }
  for (const member of STRING_MEMBERS) {
    if (member in problem && typeof problem[member] !== 'string') delete problem[member]
  }
  if ('status' in problem && !Number.isInteger(problem.status)) delete problem.status
  problem.type ??= 'about:blank'
  return problem as ProblemDetails
}
