import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/setup/global-db.ts'],
    pool: 'forks',
    // Vitest's default is one fork per core minus one: a single fork on the 2-core CI machine, idle while
    // each file waits on PostgreSQL or on the cardflow processes it spawns.
    maxWorkers: 2,
    // Each file still gets its own database and app; what the files of one fork share is the loaded
    // modules. Loading and compiling the app again for every file was a third of the run.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: 'America/New_York' },
  },
});
