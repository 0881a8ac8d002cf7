import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'identity/index': 'src/identity/index.ts',
      'envelope/index': 'src/envelope/index.ts',
      'onion/index': 'src/onion/index.ts',
      'config/index': 'src/config/index.ts',
      'groups/index': 'src/groups/index.ts',
      'mnemonic-languages': 'src/mnemonic-languages.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    splitting: true,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
  },
  {
    entry: { 'node/index': 'src/node/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    platform: 'node',
    target: 'node20',
  },
  {
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
