import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['./test/helpers/cache-isolation.ts'],
    testTimeout: 20_000,
    // Starting the test API server waits up to 90 s for /readyz on a loaded machine; the build itself
    // runs before vitest (npm run test:cluster).
    hookTimeout: 120_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
