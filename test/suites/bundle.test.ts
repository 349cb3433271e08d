/**
 * fetchkind bundled, as a service is shipped (issue 38): the demo bundled with esbuild and run
 * from a folder with no node_modules. undici was loaded through `createRequire`, which a bundler
 * cannot see, so every call of a bundled app was `network-error MODULE_NOT_FOUND`; it is imported
 * by name now, and the bundle carries it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..', '..')
const work = mkdtempSync(join(tmpdir(), 'fetchkind-bundle-'))

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the demo, bundled with esbuild', () => {
  it('runs with no node_modules: the undici transport is in the bundle', { timeout: 60_000 }, async () => {
    const outfile = join(work, 'demo.mjs')
    await build({
      entryPoints: [join(root, 'examples', 'demo.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
      // undici is CommonJS: in an ES module bundle its require() of node: modules needs one.
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    })
    const run = spawnSync(process.execPath, [outfile], { cwd: work, encoding: 'utf8', timeout: 50_000 })

    expect(run.stderr).not.toMatch(/FetchkindWarning|MODULE_NOT_FOUND|undici could not be loaded/)
    expect(run.stdout).not.toMatch(/MODULE_NOT_FOUND/)
    expect(run.stdout).toMatch(/^success +200 +OK +GET \/status\/200/m)
    expect(run.status).toBe(0)
  })
})
