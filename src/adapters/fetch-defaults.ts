/**
 * What `toFetch()` gives where the client (and the clients it extends) left a choice to its
 * defaults: fetch's own. An SDK handed a fetch gets fetch's behaviour, and each fetchkind policy
 * the client was given explicitly on top of it — never one it did not ask for:
 *
 * - no deadline: an SDK's streamed or slow answer is not cut at 10 s it never asked for;
 * - up to 20 redirects (Fetch §4.4 HTTP-redirect fetch, step 6: a 21st is a network error);
 * - no retries: an SDK that retries on its own would see ours inside each of its attempts;
 * - no HTTP cache: Node's fetch has none, and an SDK's repeat call expects a fresh answer;
 * - no cap on a body: fetch delivers what the server sends, however large.
 *
 * What stays on is what makes it safer than fetch without changing a correct answer: the redirect
 * policy's credential rules, the private-address guard when set, the diagnostics channels.
 */
import type { ClientOptions, RequestOptions } from '../options/types.ts'

const FETCH_CHOICES = {
  timeout: false,
  redirect: { max: 20 },
  retry: false,
  cache: 'no-store',
  maxBodySize: Number.MAX_SAFE_INTEGER,
} as const satisfies RequestOptions

/** The choices of fetch's a client's `options` leave standing, of those its parent left (`inherited`). */
export function fetchDefaults(
  options: ClientOptions,
  inherited: RequestOptions = FETCH_CHOICES,
): RequestOptions {
  const standing: Record<string, unknown> = {}
  for (const [name, choice] of Object.entries(inherited)) {
    // A client's redirect options leave fetch's limit standing unless they set a limit of their own.
    const given = name === 'redirect' ? options.redirect?.max : (options as Record<string, unknown>)[name]
    if (given === undefined) standing[name] = choice
  }
  return standing as RequestOptions
}
