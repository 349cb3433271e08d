/** No password from a URL anywhere fetchkind writes, even from a URL that does not parse (issue 35). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PLAIN } from '../../src/cli/render.ts'
import { runCli } from '../../src/cli/run.ts'
import { redactLocation, redactUrlText } from '../../src/guard/redact.ts'
import { createClient } from '../../src/index.ts'
import { undiciTransport } from '../../src/undici.ts'

const PASSWORD = 'hunter2secret'

/** The spellings of a URL with userinfo that the URL parser takes, and ones it refuses (a bad port, a broken host). */
const HOSTILE = [
  `http:\\\\u:${PASSWORD}@h/`,
  `http:u:${PASSWORD}@h/`,
  `http:/u:${PASSWORD}@h/`,
  `http://u:${PASSWORD}@ss@h/`,
  `http://u:p@${PASSWORD}@h/`,
  `http:\\\\u:${PASSWORD}@h:99999/`,
  `http:u:${PASSWORD}@h:99999/`,
  `http:/u:${PASSWORD}@[::1/`,
  `http://u:p@${PASSWORD}@h:bad/`,
  `https://u:${PASSWORD}@h:-1/`,
  `socks5://user:${PASSWORD}@127.0.0.1:1080`,
  `ftp://u:${PASSWORD}@h/`,
]

/** What a call or a constructor threw, as text. */
function thrown(act: () => unknown): string {
  try {
    act()
  } catch (error) {
    return String((error as Error).message)
  }
  return ''
}

describe('a URL with a password, parsed or not', () => {
  it.each(HOSTILE)('%s: the password is in no TypeError, for a URL, a baseUrl or a proxy', (url) => {
    const refused = [
      thrown(() => createClient().get(url)),
      thrown(() => createClient({ baseUrl: url })),
      thrown(() => createClient().get('x', { baseUrl: url })),
    ]
    for (const message of refused) expect(message).toMatch(/^fetchkind: /)
    // A proxy may have a password (it goes to the proxy alone): only a refused one says anything.
    const proxied = [
      thrown(() => undiciTransport({ proxy: url })),
      thrown(() => undiciTransport({ proxy: { url } })),
    ]
    for (const message of [...refused, ...proxied]) expect(message).not.toContain(PASSWORD)
  })

  it.each(HOSTILE)(
    "%s: the password is in none of the CLI's messages, as the URL or as --proxy",
    async (url) => {
      for (const argv of [[url], ['--proxy', url, 'http://127.0.0.1:9/']]) {
        let written = ''
        const io = {
          stdout: { write: (chunk: string | Uint8Array) => (written += String(chunk)) },
          stderr: { write: (chunk: string) => (written += chunk) },
          stdoutIsTerminal: false,
          style: PLAIN,
          version: '0',
        }
        expect(await runCli(argv, io as never)).not.toBe(0)
        expect(written).not.toContain(PASSWORD)
      }
    },
  )

  it.each(HOSTILE)('%s as a Location: not in the headers of the result that refuses it', (location) => {
    const redacted = redactLocation(new Headers({ location }), new URL('http://origin.test/'))
    expect(redacted.get('location')).not.toContain(PASSWORD)
  })

  it('hides the userinfo of any text that holds URLs, whatever their spelling', () => {
    const part = fc.stringMatching(/^[A-Za-z0-9!$&'()*+,;=%:@._~-]{1,12}$/)
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https', 'socks5', 'ws', 'x-custom'),
        fc.constantFrom(':', ':/', '://', ':\\', ':\\\\', ':///', '://\\'),
        part,
        fc.stringMatching(/^[A-Za-z0-9!$&'()*+,;=%._~-]{6,16}$/),
        fc.constantFrom('', '@more', '@'),
        fc.constantFrom('h', 'h:99999', '[::1', 'h:bad', '127.0.0.1:1'),
        fc.constantFrom('', '/', '/p@th?q=@#@'),
        fc.constantFrom('', 'see ', '"', '<'),
        (scheme, slashes, user, password, extra, host, rest, before) => {
          const text = `${before}${scheme}${slashes}${user}:${password}${extra}@${host}${rest}`
          expect(redactUrlText(text)).not.toContain(password)
        },
      ),
      { numRuns: 5_000 },
    )
  })

  it('leaves a URL without userinfo as it is, an @ in its path or query included', () => {
    for (const text of ['http://h/users/@me', 'https://h:8443/a?to=x@y#@z', 'fetchkind: see http://h/']) {
      expect(redactUrlText(text)).toBe(text)
    }
  })
})
