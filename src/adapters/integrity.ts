/**
 * Subresource Integrity (W3C SRI §3.3), as fetch checks `init.integrity`: the body must match one
 * of the digests of the strongest algorithm the metadata names; metadata naming no algorithm
 * fetch knows matches anything. Digests compare in base64 or base64url, padding or not, as undici's.
 */
import { createHash } from 'node:crypto'

type Algorithm = 'sha256' | 'sha384' | 'sha512'

/** Weakest first: the strongest one named is the one a body is checked against. */
const ALGORITHMS: readonly Algorithm[] = ['sha256', 'sha384', 'sha512']

interface Digest {
  readonly algorithm: Algorithm
  readonly value: string
}

/**
 * The digests in `metadata` (whitespace-separated `alg-value[?options]`), unknown algorithms left
 * out. A value is whatever follows the algorithm (SRI §3.3.3): one that is not base64 is kept, and
 * matches nothing, so `sha256-ä` fails the check rather than disabling it.
 */
export function parseIntegrity(metadata: string): Digest[] {
  const digests: Digest[] = []
  for (const token of metadata.split(/[\t\n\f\r ]+/)) {
    const match = /^(sha256|sha384|sha512)-([^?]*)/i.exec(token)
    if (match) digests.push({ algorithm: match[1]?.toLowerCase() as Algorithm, value: match[2] as string })
  }
  return digests
}

export function matchesIntegrity(bytes: Uint8Array, metadata: string): boolean {
  const digests = parseIntegrity(metadata)
  if (digests.length === 0) return true
  const strongest = ALGORITHMS.findLast((algorithm) =>
    digests.some((digest) => digest.algorithm === algorithm),
  )
  const actual = normalise(
    createHash(strongest as Algorithm)
      .update(bytes)
      .digest('base64'),
  )
  return digests.some((digest) => digest.algorithm === strongest && normalise(digest.value) === actual)
}

/** base64url to base64, without padding. */
function normalise(value: string): string {
  return value.replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '')
}
