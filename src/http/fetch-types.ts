/**
 * fetch's names for what a body, headers and a request may be, taken from the `Response`,
 * `Headers` and `fetch` the runtime declares — the DOM lib's, or @types/node's where a backend
 * project has no DOM lib — so that fetchkind's declarations compile in either project.
 */

/** What `new Response(body)` and fetch's `init.body` take. */
export type BodyInit = NonNullable<ConstructorParameters<typeof Response>[0]>

/** What `new Headers(init)` takes. */
export type HeadersInit = NonNullable<ConstructorParameters<typeof Headers>[0]>

/** What fetch takes as its first argument: a URL, its string, or a `Request`. */
export type RequestInfo = Parameters<typeof fetch>[0]
