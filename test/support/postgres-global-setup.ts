import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

/**
 * vitest's globalSetup for the PostgreSQL tests. It starts nothing itself: the first test file that needs
 * PostgreSQL starts the run's one cluster (support/postgres.ts), so a run without such a file pays nothing.
 * It hands every file the run's folder, and afterwards stops whatever cluster was started there and
 * removes the folder, also when tests failed.
 */
export default function setup(project: TestProject): () => void {
  const runDir = mkdtempSync(join(tmpdir(), 'keyrack-pg-run-'));
  project.provide('postgresRunDir', runDir);
  return () => {
    const record = join(runDir, 'cluster.json');
    if (existsSync(record)) stopPostgresCluster((JSON.parse(readFileSync(record, 'utf8')) as PostgresCluster).dir);
    rmSync(runDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's PostgreSQL cluster is recorded once a test file has started it. */
    postgresRunDir: string;
  }
}
