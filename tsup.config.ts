import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      transport: 'src/transport.ts',
      stores: 'src/stores.ts',
      diagnostics: 'src/diagnostics.ts',
      undici: 'src/undici.ts',
      otel: 'src/otel.ts',
      redis: 'src/redis.ts',
      testing: 'src/testing.ts',
    },
    // ESM only: require('fetchkind') loads it on every Node the package supports (require(esm),
    // 22.12 and later), and one format means one HttpError class and one default client per process.
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    treeshake: true,
  },
  {
    // The command: ESM only, with its shebang.
    entry: { cli: 'src/cli/start.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
])
