import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // In CI also write a JSON report, so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      reporter: ['text-summary', 'json-summary'],
      // A ratchet at just under today's levels (2026-11-26: lines 99.0 %, branches 95.0 %); the goal is ≥ 95 %
      // branches (issue 7). Raise these as tests land; never lower them.
      thresholds: { lines: 98, statements: 97, functions: 98, branches: 94 },
    },
  },
});
