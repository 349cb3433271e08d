/** The CLI's own parsers and printers, property-tested: the JSON re-indenter and the assertions' flags. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCommandLine } from '../../src/cli/args.ts'
import { expectHeader, expectJson, expectStatus } from '../../src/cli/expect.ts'
import { prettyJson } from '../../src/cli/pretty-json.ts'

/** The numbers and strings of a JSON text, in order, as written. */
const tokens = (text: string) => text.match(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g) ?? []

describe('prettyJson', () => {
  it('keeps every token as written, means the same JSON, and is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 1 : 0)
        const pretty = prettyJson(text)
        expect(JSON.parse(pretty)).toEqual(JSON.parse(text))
        expect(tokens(pretty)).toEqual(tokens(text))
        expect(prettyJson(pretty)).toBe(pretty)
      }),
    )
  })

  it('leaves text that is not JSON as it was, and big numbers as written', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let json = true
        try {
          JSON.parse(text)
        } catch {
          json = false
        }
        if (!json) expect(prettyJson(text)).toBe(text)
      }),
    )
    expect(prettyJson('[9007199254740993,1e400,-0.0]')).toBe('[\n  9007199254740993,\n  1e400,\n  -0.0\n]\n')
  })
})

describe('the assertion flags', () => {
  it('take what they document, and refuse anything else with a message, never another error (property)', () => {
    for (const parse of [expectStatus, expectHeader, expectJson]) {
      fc.assert(
        fc.property(fc.string(), (text) => {
          try {
            parse(text)
          } catch (error) {
            expect(error).toBeInstanceOf(Error)
            expect((error as Error).message).toMatch(/^--expect-(status|header|json) takes /)
          }
        }),
      )
    }
    expect(expectStatus('200, 2xx')).toMatchObject({ allowed: [{ exact: 200 }, { class: 2 }] })
    expect(expectHeader('ETag: "a:b"')).toMatchObject({ name: 'ETag', value: '"a:b"' })
    expect(expectJson('/a~1b/~0c=[1]')).toMatchObject({ pointer: ['a/b', '~c'] })
    expect(expectJson('=ok')).toMatchObject({ pointer: [], value: 'ok' })
  })
})

describe('the command line', () => {
  it('any arguments parse to a run, help, version or a usage error, never a throw (property)', () => {
    const flag = fc.constantFrom(
      '-X',
      '-H',
      '-d',
      '--json',
      '-u',
      '-L',
      '--retry',
      '-o',
      '-i',
      '-I',
      '-s',
      '-S',
      '--pretty',
      '--exit-codes',
      '--expect-status',
      '--connect-timeout',
      '--transport',
      'http://a.test/',
      'simple',
      '@-',
    )
    fc.assert(
      fc.property(fc.array(fc.oneof(flag, fc.string()), { maxLength: 8 }), (argv) => {
        const parsed = parseCommandLine(argv)
        expect(['run', 'help', 'version', 'usage-error']).toContain(parsed.type)
        if (parsed.type === 'usage-error') expect(parsed.message.length).toBeGreaterThan(0)
      }),
    )
  })
})
