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
      // A ratchet just under the measured levels (2026-11-26: lines 99.7 %, statements 99.4 %,
      // functions 99.6 %, branches 99.2 %); issue 7 asks for ≥ 95 % lines and branches. Never lower.
      thresholds: { lines: 99, statements: 99, functions: 99, branches: 98 },
    },
  },
});
