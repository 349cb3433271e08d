/**
 * What every request sends unless the caller says otherwise, whichever transport carries it:
 * so that both ask servers the same (some APIs, GitHub's among them, refuse a request without a
 * User-Agent), and both decode what they ask for.
 */
import { VERSION } from '../ground/version.ts'

/** The encodings both transports decode (fetch's, and undici's decompress interceptor's). */
export const ACCEPT_ENCODING = 'gzip, deflate, br'

const USER_AGENT = `fetchkind/${VERSION}`

/** A client's headers before its own `headers` option: each can be replaced, or removed with `undefined`. */
export function defaultRequestHeaders(): Headers {
  return new Headers({ 'user-agent': USER_AGENT, 'accept-encoding': ACCEPT_ENCODING })
}
