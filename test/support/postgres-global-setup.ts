import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopPostgresCluster, type PostgresCluster } from '../../devkit/postgres-cluster.js';

/**
 * vitest's globalSetup for the PostgreSQL tests. It starts nothing itself: the first test file that needs
 * PostgreSQL starts the run's one cluster (support/postgres.ts), so a run without such a file pays nothing.
 * It hands every file the run's folder, and afterwards stops whatever cluster was started there and
 * removes the folder, also when tests failed. A run that was killed before its teardown leaves its cluster
 * running: the next run stops it (the folder names the dead run's process).
 */
const RUN_PREFIX = 'keyrack-pg-run-';

export default function setup(project: TestProject): () => void {
  removeClustersOfDeadRuns();
  const runDir = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  writeFileSync(join(runDir, 'owner.pid'), String(process.pid));
  project.provide('postgresRunDir', runDir);
  return () => removeRun(runDir);
}

function removeRun(runDir: string): void {
  const record = join(runDir, 'cluster.json');
  if (existsSync(record)) stopPostgresCluster((JSON.parse(readFileSync(record, 'utf8')) as PostgresCluster).dir);
  rmSync(runDir, { recursive: true, force: true });
}

/** Runs of other vitest processes are left alone while those processes live (other worktrees, other users). */
function removeClustersOfDeadRuns(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(RUN_PREFIX))) {
    const runDir = join(tmpdir(), name);
    try {
      const owner = Number(readFileSync(join(runDir, 'owner.pid'), 'utf8'));
      if (!isAlive(owner)) removeRun(runDir);
    } catch {
      // Not ours to judge: no owner recorded, or not readable by us.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's PostgreSQL cluster is recorded once a test file has started it. */
    postgresRunDir: string;
  }
}
