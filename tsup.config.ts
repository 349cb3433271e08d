import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { defineConfig } from 'tsup'

/** The library's entries: what `exports` in package.json names. */
const LIBRARY = {
  index: 'src/index.ts',
  transport: 'src/transport.ts',
  stores: 'src/stores.ts',
  diagnostics: 'src/diagnostics.ts',
  undici: 'src/undici.ts',
  otel: 'src/otel.ts',
  redis: 'src/redis.ts',
  testing: 'src/testing.ts',
}

const OUT_DIR = 'dist'

export default defineConfig({
  // The command is built with the library, so that it shares its chunks rather than carrying a
  // second copy of the client (it did: a third of the package).
  entry: { ...LIBRARY, cli: 'src/cli/start.ts' },
  outDir: OUT_DIR,
  // ESM only: require('fetchkind') loads it on every Node the package supports (require(esm),
  // 22.12 and later), and one format means one HttpError class and one default client per process.
  format: ['esm'],
  dts: { entry: LIBRARY },
  // Maps point stack traces (node --enable-source-maps) at src/ lines; the sources themselves
  // stay out of the package, where they were two thirds of its weight.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false
  },
  clean: true,
  target: 'node22',
  platform: 'node',
  treeshake: true,
  // The command's shebang, on its file alone: a banner would put it on every chunk.
  async onSuccess() {
    const cli = join(OUT_DIR, 'cli.js')
    const text = await readFile(cli, 'utf8').catch(() => null)
    if (text === null) return
    if (!text.startsWith('#!')) await writeFile(cli, `#!/usr/bin/env node\n${text}`)
    await chmod(cli, 0o755)
  },
})
