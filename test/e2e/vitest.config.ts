import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Pages load their data after rendering; on a busy 2-core CI machine one second is not enough.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
