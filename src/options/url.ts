/** The request URL: resolved against `baseUrl`, http(s) only, never with credentials in it. */

import { optionError, show } from '../ground/validate.ts'
import { redactUrl, redactUrlText } from '../guard/redact.ts'

export function toBaseUrl(value: unknown): URL {
  if (typeof value !== 'string' && !(value instanceof URL)) throw optionError('baseUrl', 'a URL', value)
  const parsed = URL.parse(value)
  if (!parsed || !isHttp(parsed))
    throw optionError('baseUrl', 'an absolute http: or https: URL', redactUrlText(String(value)))
  refuseUserinfo(parsed, 'baseUrl')
  // 'https://api.example/v1' + 'users' should be /v1/users, not /users.
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/'
  return parsed
}

export function resolveUrl(input: unknown, baseUrl: URL | undefined): URL {
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new TypeError(`fetchkind: the URL must be a string or a URL, got ${show(input)}`)
  }
  const url = URL.parse(input, baseUrl)
  if (!url) {
    const hint = baseUrl ? ` against baseUrl ${baseUrl.href}` : ' (a relative URL needs the baseUrl option)'
    throw new TypeError(`fetchkind: invalid URL ${show(redactUrlText(String(input)))}${hint}`)
  }
  if (!isHttp(url))
    throw new TypeError(`fetchkind: only http: and https: URLs can be fetched, got ${url.protocol}`)
  refuseUserinfo(url, 'the URL')
  return url
}

/**
 * fetch refuses a URL with credentials in it, and so does fetchkind: a password there ends up in
 * logs, traces and error messages. The error names neither the user nor the password.
 */
function refuseUserinfo(url: URL, what: string): void {
  if (url.username === '' && url.password === '') return
  throw new TypeError(
    `fetchkind: ${what} includes credentials (${redactUrl(url).href}); send them in a header instead, such as { authorization: \`Basic \${btoa('user:password')}\` }`,
  )
}

function isHttp(url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:'
}
