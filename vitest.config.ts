import { defineConfig } from 'vitest/config';
import { postgresUnavailable } from './devkit/postgres-cluster.js';

/**
 * The token server's suites that run a server over a store (test/token-server/support.ts startFixture) run
 * twice: over SQLite with everything else, and again over PostgreSQL (issue 10: the token-server suites on
 * both backends). Without PostgreSQL on the machine there is no second run (the other PostgreSQL suites say
 * once what to install).
 */
const TOKEN_SERVER_ON_BOTH = [
  'allowlist',
  'audit',
  'authlib',
  'clients',
  'discovery',
  'guessing',
  'introspect-revoke',
  'metrics',
  'policy',
  'private-key-jwt',
  'token-errors',
].map((name) => `test/token-server/${name}.test.ts`);

export default defineConfig({
  test: {
    // Hands the PostgreSQL tests the run's folder and removes their throwaway cluster afterwards.
    globalSetup: ['test/support/postgres-global-setup.ts'],
    // Native modules (better-sqlite3, argon2) are happiest in child processes rather than worker threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'keyrack', include: ['test/**/*.test.ts'] } },
      ...(postgresUnavailable() === null
        ? [{ extends: true, test: { name: 'token server on PostgreSQL', include: TOKEN_SERVER_ON_BOTH, env: { KEYRACK_TEST_ENGINE: 'postgres' } } }]
        : []),
    ],
  },
});
