import { defineConfig } from 'vitest/config';

// Browser tests: one real node and one Chromium shared by the tests of a file, which run in order.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
