/** Request methods by what repeating them does (RFC 9110 §9.2, and the QUERY draft). */

/** §9.2.1: methods that change nothing on the server. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'QUERY'])

/** §9.2.2: methods whose repetition changes nothing more than one request would (of those fetchkind sends). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([...SAFE_METHODS, 'PUT', 'DELETE'])
