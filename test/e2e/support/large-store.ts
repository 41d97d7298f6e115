import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openCore } from '../../../electron/core.js';
import { ADMIN, BridgeClient, launchBridge, rendererDir } from './keyrack.js';

/**
 * A Keyrack store with a year of log (1 000 000 events by default) for the browser tests at scale, seeded
 * once and cached in the OS temp folder. Each run works on a copy, so what a run writes (its logins, the
 * log reads that are themselves logged) never changes the cache.
 *
 * The cache key holds SEED_VERSION (bump it when the seeding below changes), the event count, and the UTC
 * day: the overview looks at the last 24 hours, so a store seeded days ago would show an empty "last 24
 * hours". A migration added since the seeding does not mean seeding again (minutes): the cached store is
 * opened once by the core, which migrates it as it would an office's store, and then reused.
 */
export const SEED_VERSION = 1;
const CACHE_PREFIX = 'keyrack-large-store-';
/** API users the seeded log is about. */
const API_USERS = 200;
/** Seeding a million events takes a few minutes on a quiet machine; a loaded one (2 cores shared by many) took 15. */
const SEED_TIMEOUT_MS = 40 * 60_000;

export interface LargeStore {
  /** The cached, pristine store (never started from the cache itself). */
  cacheDir: string;
  events: number;
  /** Milliseconds spent seeding in this call (0 when the cache was reused). */
  seededMs: number;
}

/** The cached store for `events` events, seeding it first when this version, schema and day have none. */
export async function largeStore(events = 1_000_000): Promise<LargeStore> {
  const key = `${CACHE_PREFIX}v${SEED_VERSION}-${events}-${new Date().toISOString().slice(0, 10)}`;
  const cacheDir = join(tmpdir(), key);
  if (existsSync(join(cacheDir, 'SEEDED'))) {
    const schema = join(cacheDir, 'SCHEMA');
    if (!existsSync(schema) || readFileSync(schema, 'utf8') !== migrationsKey()) {
      openCore({ dataDir: cacheDir }).close(); // runs the pending migrations
      writeFileSync(schema, migrationsKey());
    }
    return { cacheDir, events, seededMs: 0 };
  }

  // Older caches (another day or version) are dead weight of half a gigabyte each; a half-seeded folder is
  // only removed when it is hours old, as another run may still be filling it.
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(CACHE_PREFIX) || name === key) continue;
    const path = join(tmpdir(), name);
    if (!name.includes('.partial-') || Date.now() - statSync(path).mtimeMs > 3 * 3_600_000) rmSync(path, { recursive: true, force: true });
  }
  const started = Date.now();
  // Seed into a scratch folder and rename at the end: a run killed half-way leaves no half store behind.
  const scratch = mkdtempSync(join(tmpdir(), `${key}.partial-`));
  await seedLogStore(scratch, events);
  await createAdministrator(scratch);
  writeFileSync(join(scratch, 'SEEDED'), `${events} events, seed version ${SEED_VERSION}\n`);
  writeFileSync(join(scratch, 'SCHEMA'), migrationsKey());
  if (existsSync(join(cacheDir, 'SEEDED'))) rmSync(scratch, { recursive: true, force: true }); // another run was quicker
  else {
    rmSync(cacheDir, { recursive: true, force: true });
    renameSync(scratch, cacheDir);
  }
  return { cacheDir, events, seededMs: Date.now() - started };
}

/** The migration files' names: when they change, the cached store needs migrating. */
function migrationsKey(): string {
  const names = readdirSync(resolve('electron/db/migrations')).filter((n) => /^\d{4}-.*\.ts$/.test(n)).sort();
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 10);
}

/**
 * `npm run seed:log` (bench/seed-store.ts): API users, some secrets expiring within days, a year of
 * issuances, denials, logins and changes, last use from the issuances. A child process, so the test
 * worker stays responsive and the script is exercised exactly as documented.
 */
async function seedLogStore(dataDir: string, events: number): Promise<void> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['run', '--silent', 'seed:log', '--', '--data', dataDir, '--events', String(events), '--api-users', String(API_USERS)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`seed:log did not finish in ${SEED_TIMEOUT_MS / 1000} s:\n${stderr}`));
    }, SEED_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`seed:log exited with ${code}:\n${stderr}`));
    });
  });
}

/** The first administrator, through the bridge as the first-run screen would; its events follow the seeded ones. */
async function createAdministrator(dataDir: string): Promise<void> {
  const keyrack = await startBridge(dataDir);
  try {
    await new BridgeClient(keyrack.url).call('auth.setup', ADMIN);
  } finally {
    await keyrack.stop();
  }
}

export interface RunningKeyrack {
  url: string;
  dataDir: string;
  /** From spawning the process to the bridge answering: the app's start on this store. */
  startMs: number;
  stop(): Promise<void>;
}

/** Starts the web bridge on a fresh copy of the store; stopping it removes the copy. */
export async function startOnCopy(store: LargeStore): Promise<RunningKeyrack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyrack-e2e-large-'));
  cpSync(store.cacheDir, dataDir, { recursive: true });
  const keyrack = await startBridge(dataDir);
  return { ...keyrack, stop: () => keyrack.stop().then(() => rmSync(dataDir, { recursive: true, force: true })) };
}

/** The web bridge on `dataDir`, timed from the spawn to the URL it prints (its start on this store). */
async function startBridge(dataDir: string): Promise<RunningKeyrack> {
  const started = performance.now();
  const bridge = await launchBridge({ KEYRACK_DATA: dataDir, KEYRACK_WEB_PORT: '0', KEYRACK_WEB_STATIC: rendererDir() }, 60_000);
  return { url: bridge.url, dataDir, startMs: performance.now() - started, stop: () => bridge.stop() };
}
