/**
 * The PostgreSQL side of `npm run bench:token` on a PostgreSQL store (BENCH_STORE=postgres): a throwaway
 * cluster (devkit/postgres-cluster.ts, the tests' own) with an empty database for Keyrack, and two readings
 * taken from outside the nodes so they do not depend on what the nodes say about themselves:
 *
 * - the CPU time of the postmaster and every process under it (the backends serving the nodes' pools, the
 *   WAL writer, the checkpointer, autovacuum), from /proc;
 * - the statements the server ran in Keyrack's database, from pg_stat_statements: each is one round trip
 *   from a node, BEGIN, the write lock and COMMIT included (the nodes' own /metrics count only the
 *   statements that pass the Store port, not a transaction's BEGIN, lock and COMMIT).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { postmasterPid, startPostgresCluster, stopPostgresCluster } from '../devkit/postgres-cluster.js';
import { connectPostgres } from '../electron/db/postgres.js';
import { postgresStore } from '../electron/db/store-postgres.js';

/** Keyrack's database in the bench's cluster (created empty; the first open migrates it). */
const DATABASE = 'keyrack';

export interface BenchPostgres {
  /** The store URL the nodes open (trust on loopback: no password). */
  url: string;
  /** CPU time of the postmaster and all its processes, live and exited, µs (Linux /proc). */
  cpuMicros(): number;
  /** Statements the server has run in Keyrack's database so far, by their normalised text (pg_stat_statements calls). */
  statements(): Promise<StatementCounts>;
  /** Stops the cluster and removes its folder (synchronous: also usable from a signal handler). */
  stop(): void;
}

/** Calls by statement text ($1 for each value), and their total. */
export interface StatementCounts {
  total: number;
  byText: Map<string, number>;
}

/** What ran between two readings, most called first. */
export function statementsBetween(before: StatementCounts, after: StatementCounts): { total: number; top: [string, number][] } {
  const top = [...after.byText].map(([text, calls]): [string, number] => [text, calls - (before.byText.get(text) ?? 0)]).filter(([, calls]) => calls > 0);
  return { total: after.total - before.total, top: top.sort((a, b) => b[1] - a[1]) };
}

export async function startBenchPostgres(): Promise<BenchPostgres> {
  // track_utility (the default) counts BEGIN and COMMIT; `top` counts what the clients sent, not what
  // functions ran inside it: the round trips.
  const cluster = await startPostgresCluster({
    settings: ["shared_preload_libraries = 'pg_stat_statements'", 'pg_stat_statements.track = top', 'pg_stat_statements.track_utility = on'],
  });
  const stop = () => stopPostgresCluster(cluster.dir);
  try {
    // The bench's own reads go to the `postgres` database: pg_stat_statements keeps them apart by database.
    const admin = postgresStore(await connectPostgres({ host: cluster.host, port: cluster.port, user: cluster.user, database: 'postgres' }, { maxConnections: 1 }));
    await admin.run(`CREATE DATABASE ${DATABASE}`);
    await admin.run('CREATE EXTENSION pg_stat_statements');
    const pid = postmasterPid(cluster.dir);
    if (pid === null) throw new Error(`no postmaster.pid in ${cluster.dir}`);
    return {
      url: `postgres://${cluster.user}@${cluster.host}:${cluster.port}/${DATABASE}`,
      cpuMicros: () => processTreeCpuMicros(pid),
      async statements() {
        const rows = await admin.all<{ query: string; calls: number }>(
          'SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ?',
          [DATABASE],
        );
        const byText = new Map<string, number>();
        // One text can have several entries (another role, another top-level flag): summed.
        for (const { query, calls } of rows) byText.set(oneLine(query), (byText.get(oneLine(query)) ?? 0) + calls);
        return { total: rows.reduce((sum, r) => sum + r.calls, 0), byText };
      },
      stop() {
        void admin.close().catch(() => undefined);
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** Clock ticks a second, the unit of /proc's CPU times. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  ppid: number;
  /** utime + stime, ticks. */
  own: number;
  /** cutime + cstime: children that exited and were waited for, ticks. */
  reaped: number;
}

function procStat(pid: number | string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (which may hold spaces): state, ppid, …; utime is the 14th field of the line.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), own: Number(fields[11]) + Number(fields[12]), reaped: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return undefined; // the process ended between the listing and the read
  }
}

/**
 * The postmaster's CPU, its children's (PostgreSQL forks each backend and worker from the postmaster, so
 * they are all direct children), and what its exited children used (a backend whose connection closed).
 */
function processTreeCpuMicros(root: number): number {
  const top = procStat(root);
  if (!top) return 0;
  let ticks = top.own + top.reaped;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(name);
    if (stat?.ppid === root) ticks += stat.own;
  }
  return (ticks * 1e6) / CLOCK_TICKS;
}
