import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { openDatabase } from '../../electron/db/open.js';
import { HEARTBEAT_INTERVAL_MS, nodesSeenSince, startHeartbeat } from '../../electron/db/node-heartbeat.js';
import { StoreUrlError } from '../../electron/db/postgres.js';
import {
  chooseStore,
  openChosenStore,
  readStoreSetting,
  resolveStoreChoice,
  STORE_SETTING_FILE,
  StoreSettingError,
  writeStoreSetting,
} from '../../electron/db/store-choice.js';
import { sqliteStore } from '../../electron/db/store-sqlite.js';
import type { Queryable } from '../../electron/db/store.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { tempDir } from '../support/core.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';

const PG = 'postgres://keyrack@db.office.lan/keyrack';
const OTHER = 'postgresql://keyrack@db2.office.lan:5433/keyrack';

describe('resolveStoreChoice: flag > env > setting > sqlite', () => {
  test.each([
    [{}, { kind: 'sqlite', source: 'default' }],
    [{ setting: PG }, { kind: 'postgres', url: PG, source: 'setting' }],
    [{ env: OTHER, setting: PG }, { kind: 'postgres', url: OTHER, source: 'env' }],
    [{ flag: 'sqlite', env: OTHER, setting: PG }, { kind: 'sqlite', source: 'flag' }],
    [{ flag: PG, env: 'sqlite' }, { kind: 'postgres', url: PG, source: 'flag' }],
    // An empty KEYRACK_STORE counts as unset (a shell's `KEYRACK_STORE= keyrack …`).
    [{ env: '', setting: PG }, { kind: 'postgres', url: PG, source: 'setting' }],
    [{ env: ' SQLite ' }, { kind: 'sqlite', source: 'env' }],
  ])('%j → %j', (input, expected) => {
    expect(resolveStoreChoice(input)).toEqual(expected);
  });

  test('a bad choice is refused where it is, never skipped for the next one', () => {
    expect(() => resolveStoreChoice({ flag: 'mysql://db/keyrack', setting: PG })).toThrow(StoreUrlError);
    expect(() => resolveStoreChoice({ env: 'postgres://keyrack:hunter2@db/keyrack' })).toThrow(/contains a password/);
    expect(() => resolveStoreChoice({ flag: '' })).toThrow(/it is empty/);
    expect(() => resolveStoreChoice({ setting: 'postgres://db.office.lan' })).toThrow(/names no database/);
  });
});

describe("the data folder's store.json", () => {
  const data = tempDir('keyrack-store-setting-');
  afterAll(() => rmSync(data, { recursive: true, force: true }));
  const file = join(data, STORE_SETTING_FILE);

  test('absent: SQLite; written owner-only and read back; sqlite removes it', () => {
    expect(readStoreSetting(data)).toBeUndefined();
    expect(chooseStore(data, {})).toEqual({ kind: 'sqlite', source: 'default' });
    writeStoreSetting(data, { kind: 'postgres', url: PG, source: 'setting' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ store: PG });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readStoreSetting(data)).toBe(PG);
    expect(chooseStore(data, {})).toEqual({ kind: 'postgres', url: PG, source: 'setting' });
    expect(chooseStore(data, { env: OTHER })).toEqual({ kind: 'postgres', url: OTHER, source: 'env' });
    expect(chooseStore(data, { flag: 'sqlite', env: OTHER })).toEqual({ kind: 'sqlite', source: 'flag' });
    writeStoreSetting(data, { kind: 'sqlite', source: 'setting' });
    expect(existsSync(file)).toBe(false);
  });

  test('a flag or the environment wins without reading a broken setting', () => {
    writeFileSync(file, 'not json');
    try {
      expect(chooseStore(data, { env: PG })).toMatchObject({ kind: 'postgres', url: PG });
      expect(() => chooseStore(data, {})).toThrow(StoreSettingError);
      expect(() => readStoreSetting(data)).toThrow(/store\.json is not usable: it is not JSON/);
      writeFileSync(file, '{"store": "ftp://x/y"}');
      expect(() => chooseStore(data, {})).toThrow(StoreUrlError);
      writeFileSync(file, '[]');
      expect(() => readStoreSetting(data)).toThrow(/has no "store" text/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('openChosenStore for SQLite opens nothing: the core opens the file', async () => {
    const chosen = await openChosenStore({ kind: 'sqlite', source: 'default' }, { dataDir: data });
    expect(chosen).toMatchObject({ kind: 'sqlite', store: undefined, describe: join(data, DATABASE_FILE) });
    await chosen.close();
    expect(existsSync(join(data, DATABASE_FILE))).toBe(false);
  });
});

describe('node heartbeat', () => {
  const data = tempDir('keyrack-heartbeat-');
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  test('upserts its row at once and every interval; stop() keeps the row; nodesSeenSince filters by time', async () => {
    mkdirSync(data, { recursive: true });
    const db = openDatabase(join(data, DATABASE_FILE));
    const store = sqliteStore(db);
    vi.useFakeTimers();
    try {
      let now = 1_000_000;
      const beat = startHeartbeat(store, { node: 'node-a', version: '0.1.0', url: 'https://a:8443', clock: { now: () => now }, intervalMs: 5_000 });
      await beat.first;
      expect(await nodesSeenSince(store, 0)).toEqual([{ node: 'node-a', version: '0.1.0', startedAt: 1_000_000, seenAt: 1_000_000, url: 'https://a:8443' }]);
      now += 5_000;
      await vi.advanceTimersByTimeAsync(5_000);
      expect((await nodesSeenSince(store, 0))[0]).toMatchObject({ startedAt: 1_000_000, seenAt: 1_005_000 });
      beat.stop();
      now += 61_000;
      await vi.advanceTimersByTimeAsync(61_000);
      // Stopped: no more beats, and the row stays.
      expect((await nodesSeenSince(store, 0))[0]).toMatchObject({ seenAt: 1_005_000 });
      expect(await nodesSeenSince(store, now - 60_000)).toEqual([]);
      expect(beat.failures).toBe(0);

      // A second node, and a restart of the first: its started_at moves on.
      const b = startHeartbeat(store, { node: 'node-b', version: '0.2.0', clock: { now: () => now } });
      const again = startHeartbeat(store, { node: 'node-a', version: '0.2.0', clock: { now: () => now + 1 } });
      await Promise.all([b.first, again.first]);
      b.stop();
      again.stop();
      expect(await nodesSeenSince(store, now - 60_000)).toEqual([
        { node: 'node-a', version: '0.2.0', startedAt: now + 1, seenAt: now + 1, url: null },
        { node: 'node-b', version: '0.2.0', startedAt: now, seenAt: now, url: null },
      ]);
    } finally {
      vi.useRealTimers();
      db.close();
    }
  });

  test('a failing beat is counted, never thrown, and the next beat tries again', async () => {
    const failing: Queryable = {
      dialect: 'sqlite',
      get: () => Promise.reject(new Error('unused')),
      all: () => Promise.reject(new Error('unused')),
      run: () => Promise.reject(new Error('the store is unreachable')),
    };
    vi.useFakeTimers();
    try {
      const beat = startHeartbeat(failing, { node: 'n', version: '1', intervalMs: 1_000 });
      await beat.first;
      await vi.advanceTimersByTimeAsync(2_000);
      expect(beat.failures).toBe(3);
      expect((beat.lastError as Error).message).toBe('the store is unreachable');
      beat.stop();
    } finally {
      vi.useRealTimers();
    }
    expect(HEARTBEAT_INTERVAL_MS).toBe(10_000);
  });

  test('a beat the store does not answer is not joined by more: one at a time, so they cannot take the pool', async () => {
    let started = 0;
    let answer!: () => void;
    const silent: Queryable = {
      dialect: 'postgres',
      get: () => Promise.reject(new Error('unused')),
      all: () => Promise.reject(new Error('unused')),
      run: () => {
        started++;
        return new Promise((resolve) => (answer = () => resolve({ changes: 1 })));
      },
    };
    vi.useFakeTimers();
    try {
      const beat = startHeartbeat(silent, { node: 'n', version: '1', intervalMs: 1_000 });
      await vi.advanceTimersByTimeAsync(5_000);
      expect(started).toBe(1);
      answer(); // the store answers again: the next interval beats
      await vi.advanceTimersByTimeAsync(1_000);
      expect(started).toBe(2);
      beat.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describePostgres('openChosenStore on PostgreSQL (the desktop app\'s path: the setting, no prompt)', () => {
  const scratch = postgresScratch();
  const data = tempDir('keyrack-store-desktop-');
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  test('the store named by store.json is created, usable through the port, and its pool ended by close()', async () => {
    const database = await scratch.database();
    writeStoreSetting(data, { kind: 'postgres', url: database.url, source: 'setting' });
    const plans: number[] = [];
    const chosen = await openChosenStore(chooseStore(data, { env: undefined }), { dataDir: data, onMigrate: (plan) => plans.push(plan.to) });
    try {
      expect(chosen).toMatchObject({ kind: 'postgres', describe: database.url });
      expect(plans).toHaveLength(1);
      expect(await chosen.store!.get<{ n: number }>('SELECT count(*) AS n FROM store_nodes')).toEqual({ n: 0 });
    } finally {
      await chosen.close();
      await chosen.close(); // twice is harmless
    }
    await expect(chosen.store!.get('SELECT 1')).rejects.toThrow();
    // The SQLite file was not touched: the core opens it, not the choice.
    expect(existsSync(join(data, DATABASE_FILE))).toBe(false);
  });
});
