/**
 * The folders of src/ in layers, each importing only from its own layer or those beneath (issue
 * 36): a ground of pure utilities and vocabulary, the transport and the trust boundaries, the
 * per-call kernel, the policies, the assembly (option resolution), and the faces (the entry points,
 * adapters, CLI, otel, redis, testing). This is where the order is written; CONTRIBUTING.md's
 * layout follows it.
 *
 * The policies' layer is one of peers: a policy folder imports none of the others, so that each
 * stage sees only its own options and the kernel's (what two policies share, such as the key a
 * policy keeps its state by, lives in the kernel).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const LAYERS: readonly (readonly string[])[] = [
  ['ground', 'http', 'result'],
  ['guard', 'transport'],
  ['call'],
  ['redirect', 'cache', 'retry', 'resilience', 'deadline', 'hedge', 'concurrency'],
  ['options'],
  ['(root)', 'adapters', 'cli', 'otel', 'redis', 'stores', 'testing'],
]

/** The layer whose folders may not import each other. */
const POLICIES = LAYERS[3] as readonly string[]

/** Every folder-to-folder import in src/, as `from → to`. */
function folderEdges(): Set<string> {
  const edges = new Set<string>()
  const folderOf = (file: string) => {
    const parts = relative('src', file).split(sep)
    return parts.length > 1 ? (parts[0] as string) : '(root)'
  }
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) visit(path)
      else if (entry.name.endsWith('.ts')) {
        for (const [, target] of readFileSync(path, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
          const from = folderOf(path)
          const to = folderOf(normalize(join(dirname(path), target as string)))
          if (from !== to) edges.add(`${from} → ${to}`)
        }
      }
    }
  }
  visit('src')
  return edges
}

const layerOf = (folder: string) => LAYERS.findIndex((layer) => layer.includes(folder))

/** Folders that import each other, through any path. */
function cycles(edges: Iterable<string>): string[][] {
  const next = new Map<string, string[]>()
  for (const edge of edges) {
    const [from, to] = edge.split(' → ') as [string, string]
    next.set(from, [...(next.get(from) ?? []), to])
  }
  const reaches = (from: string, to: string) => {
    const seen = new Set<string>()
    const queue = [...(next.get(from) ?? [])]
    while (queue.length > 0) {
      const folder = queue.shift() as string
      if (folder === to) return true
      if (seen.has(folder)) continue
      seen.add(folder)
      queue.push(...(next.get(folder) ?? []))
    }
    return false
  }
  return [...next.keys()].filter((folder) => reaches(folder, folder)).map((folder) => [folder])
}

describe('the layers of src/', () => {
  const edges = folderEdges()

  it('place every folder in one layer', () => {
    const folders = new Set([...edges].flatMap((edge) => edge.split(' → ')))
    for (const folder of folders) expect(layerOf(folder), folder).toBeGreaterThanOrEqual(0)
  })

  it('have no folder import from a higher layer', () => {
    const upward = [...edges].filter((edge) => {
      const [from, to] = edge.split(' → ') as [string, string]
      return layerOf(to) > layerOf(from)
    })
    expect(upward).toEqual([])
  })

  it('have no folders that import each other', () => {
    expect(cycles(edges)).toEqual([])
  })

  it('have no policy import another', () => {
    const across = [...edges].filter((edge) => edge.split(' → ').every((folder) => POLICIES.includes(folder)))
    expect(across).toEqual([])
  })
})
