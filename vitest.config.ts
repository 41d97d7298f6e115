import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hands the PostgreSQL tests the run's folder and removes their throwaway cluster afterwards.
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Native modules (better-sqlite3, argon2) are happiest in child processes rather than worker threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
