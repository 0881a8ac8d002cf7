// Separate vitest project for the real-browser test (issue 7, "Ecosystem"): its files end in
// `.browser.ts`, which the main config's `test/**/*.test.ts` never picks up, so `npm test` stays
// fast. Run after `npm run build`: `vitest run --config test/browser/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/browser/**/*.browser.ts'],
    // Launching Chromium on a loaded 2-core machine can take well over the default 10 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
