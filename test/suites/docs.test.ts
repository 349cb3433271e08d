/** The documentation stays true to the code: every option in the options table, every link alive. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')

/** The option names an interface of src/options/types.ts declares. */
function optionsOf(source: string, name: string): string[] {
  const body = new RegExp(`export interface ${name}[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? ''
  return [...body.matchAll(/^ {2}readonly (\w+)\?:/gm)].map(([, option]) => option as string)
}

describe('the options reference', () => {
  it('lists every client and request option in its table (docs/options.md)', () => {
    const source = read('src/options/types.ts')
    const options = ['SharedOptions', 'ClientOptions', 'RequestOptions'].flatMap((name) =>
      optionsOf(source, name),
    )
    expect(options.length).toBeGreaterThan(25)
    const page = read('docs/options.md')
    const table = page.slice(0, page.indexOf('\n## '))
    const rows = new Set([...table.matchAll(/^\| `(\w+)[`.]/gm)].map(([, option]) => option))
    expect(options.filter((option) => !rows.has(option))).toEqual([])
  })
})

describe('links between the documents', () => {
  const documents = [
    'README.md',
    'CONTRIBUTING.md',
    'SECURITY.md',
    ...readdirSync(join(root, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`),
  ]

  it.each(documents)('%s links only to files that exist and headings that exist', (document) => {
    const text = read(document)
    const broken: string[] = []
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^(https?:|mailto:)/.test(target)) continue
      const [path, anchor] = target.split('#')
      const file = path ? join(dirname(join(root, document)), path) : join(root, document)
      if (!existsSync(file)) {
        broken.push(target)
        continue
      }
      if (anchor && file.endsWith('.md') && !slugs(readFileSync(file, 'utf8')).has(anchor))
        broken.push(target)
    }
    expect(broken).toEqual([])
  })
})

/** GitHub's anchors for a document's headings: lower case, punctuation dropped, spaces as dashes. */
function slugs(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
      (heading as string)
        .toLowerCase()
        .replace(/[^\w\- ]/g, '')
        .replace(/ /g, '-'),
    ),
  )
}
