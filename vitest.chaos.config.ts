import { defineConfig } from 'vitest/config';

/** `npm run test:chaos`: faults injected into real processes, a real PostgreSQL server and the fake chat APIs. */
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
