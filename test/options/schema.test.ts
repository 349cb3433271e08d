/**
 * The options table (docs/options.md) against the option schema (src/options/schema.ts) and the policies'
 * registry: every option has its row, every row an option, each with the default the code has and
 * the side (client only, request only) it may be given on.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { policyOptions } from '../../src/options/policies.ts'
import { ASSEMBLY, INITIAL, SHARED } from '../../src/options/schema.ts'

interface Row {
  readonly side: 'both' | 'client' | 'request'
  readonly shown: string
}

/** The rows of the options table (docs/options.md), by option name. */
function readmeRows(): Map<string, Row> {
  const page = readFileSync('docs/options.md', 'utf8')
  const section = page.slice(0, page.indexOf('\n## '))
  const rows = new Map<string, Row>()
  for (const line of section.split('\n')) {
    const match = /^\| `([\w.]+)`( \((client|request) only\))? \| (.*?) \| /.exec(line)
    if (!match) continue
    rows.set(match[1] as string, {
      side: (match[3] as 'client' | 'request' | undefined) ?? 'both',
      shown: match[4] as string,
    })
  }
  return rows
}

/** What the code says of each option: its table row(s). */
function schemaRows(): Map<string, Row> {
  const rows = new Map<string, Row>()
  for (const [name, option] of Object.entries(SHARED)) {
    const shown = option.shown
    if (typeof shown === 'string') rows.set(name, { side: 'both', shown })
    else for (const [row, cell] of Object.entries(shown)) rows.set(row, { side: 'both', shown: cell })
  }
  for (const [name, option] of Object.entries(ASSEMBLY)) rows.set(name, option)
  for (const option of policyOptions()) {
    const side = option.client && option.request ? 'both' : option.client ? 'client' : 'request'
    rows.set(option.name, { side, shown: option.shown })
  }
  return rows
}

describe('the option schema', () => {
  it('has the options table, row for row: names, sides and defaults', () => {
    const readme = readmeRows()
    // The table was found at all: some thirty rows.
    expect(readme.size).toBeGreaterThan(20)
    expect(Object.fromEntries(readme)).toEqual(Object.fromEntries(schemaRows()))
  })

  it('starts a client with no options at the defaults the table shows', () => {
    expect(INITIAL.responseType).toBe('auto')
    expect(INITIAL.timeout).toEqual({ attempt: 10_000, total: 30_000 })
    // The default is the kernel's, on what it reads into memory: none is set.
    expect(INITIAL.maxBodySize).toBeUndefined()
    expect(INITIAL.parseJson).toBe(JSON.parse)
    expect(INITIAL.stringifyJson).toBe(JSON.stringify)
    expect(INITIAL.throwOn.size).toBe(0)
    expect(INITIAL.hooks).toEqual({ beforeRequest: [], afterResult: [], afterInterim: [] })
  })
})
