import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for the tests (test/support/postgres.ts) and the benchmarks (bench/token.ts
 * with BENCH_STORE=postgres): initdb in a fresh temporary folder, a free port on loopback (and a unix socket
 * in that folder only), trust for loopback except the members of `password_login`, who must give a password
 * (the opener's wrong-password test). Stopped and removed afterwards, on failure too.
 *
 * initdb refuses to run as root, so as root the cluster belongs to the unprivileged `postgres` user that
 * Debian's package creates; as anyone else it belongs to that user.
 */

export interface PostgresCluster {
  host: string;
  port: number;
  /** The cluster's superuser (trust on loopback). */
  user: string;
  /** The folder holding the data, the socket and the server log; removed by stop(). */
  dir: string;
}

/** What is missing when there is no PostgreSQL to start, in words a newcomer can act on. */
export const INSTALL_HINT = 'PostgreSQL is not installed: `apt-get install -y postgresql` (Debian) runs these tests';

/** The role whose members log in with a password; everyone else is trusted on loopback. */
export const PASSWORD_ROLE = 'password_login';

const SUPERUSER = 'postgres';
const STARTUP_TIMEOUT_S = 30;

/** The folder with initdb and pg_ctl, or null: pg_config's answer first, then Debian's versioned folders. */
export function findPostgresBinaries(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // pg_config is in libpq-dev, not always installed beside the server.
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

/** Who runs the cluster: the current user, or `postgres` when we are root (initdb refuses root). */
interface ClusterOwner {
  uid: number;
  gid: number;
  /** Prefix for a command run as the owner. */
  wrap: string[];
}

function clusterOwner(): ClusterOwner | string {
  if (process.getuid?.() !== 0) {
    const me = userInfo();
    return { uid: me.uid, gid: me.gid, wrap: [] };
  }
  const id = (flag: string) => spawnSync('id', [flag, SUPERUSER], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    return `running as root and there is no \`${SUPERUSER}\` user for initdb (installing postgresql creates it)`;
  }
  return { uid: Number(uid.stdout), gid: Number(gid.stdout), wrap: ['runuser', '-u', SUPERUSER, '--'] };
}

/** Why a cluster cannot be started here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (!findPostgresBinaries()) return INSTALL_HINT;
  const owner = clusterOwner();
  return typeof owner === 'string' ? owner : null;
}

export interface ClusterOptions {
  /**
   * More postgresql.conf lines, e.g. `shared_preload_libraries = 'pg_stat_statements'` for a benchmark that
   * counts statements on the server's side. The tests use the defaults.
   */
  settings?: string[];
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBinaries();
  const owner = clusterOwner();
  if (!bin) throw new Error(INSTALL_HINT);
  if (typeof owner === 'string') throw new Error(owner);
  const dir = mkdtempSync(join(tmpdir(), 'keyrack-pg-'));
  chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const run = (command: string, args: string[], timeoutS: number) => {
    const [file, ...rest] = [...owner.wrap, join(bin, command), ...args];
    const result = spawnSync(file!, rest, { encoding: 'utf8', timeout: timeoutS * 1000, cwd: dir });
    if (result.status !== 0) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      throw new Error(`${command} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}${log}`);
    }
  };
  try {
    const port = await freePort();
    run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'], 120);
    writeFileSync(
      join(data, 'pg_hba.conf'),
      ['local all all trust', `host all +${PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256`, 'host all all 127.0.0.1/32 trust', ''].join('\n'),
    );
    appendFileSync(
      join(data, 'postgresql.conf'),
      [`\nlisten_addresses = '127.0.0.1'`, `port = ${port}`, `unix_socket_directories = '${dir}'`, ...(options.settings ?? []), ''].join('\n'),
    );
    run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', String(STARTUP_TIMEOUT_S), 'start'], STARTUP_TIMEOUT_S + 5);
    const cluster = { host: '127.0.0.1', port, user: SUPERUSER, dir };
    const admin = new pg.Client({ host: cluster.host, port, user: SUPERUSER, database: 'postgres', connectionTimeoutMillis: 10_000 });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${PASSWORD_ROLE} NOLOGIN`);
    } finally {
      await admin.end();
    }
    return cluster;
  } catch (error) {
    stopPostgresCluster(dir);
    throw error;
  }
}

/**
 * The postmaster's process id (the first line of postmaster.pid), or null when the server is not running.
 * Its children are the backends, one per connection, and the background workers.
 */
export function postmasterPid(dir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Stops the server (immediately: nothing in it is worth a checkpoint) and removes its folder. */
export function stopPostgresCluster(dir: string): void {
  const bin = findPostgresBinaries();
  const owner = clusterOwner();
  const data = join(dir, 'data');
  if (bin && typeof owner !== 'string' && existsSync(join(data, 'postmaster.pid'))) {
    const [file, ...rest] = [...owner.wrap, join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'];
    spawnSync(file!, rest, { timeout: 35_000, cwd: dir });
  }
  rmSync(dir, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
