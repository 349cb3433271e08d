import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: { index: 'src/index.ts', undici: 'src/undici.ts', otel: 'src/otel.ts', redis: 'src/redis.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    treeshake: true,
    // import.meta.url in the CommonJS build too (src/transport/load-undici.ts).
    shims: true,
  },
  {
    // The command: ESM only, with its shebang.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
])
