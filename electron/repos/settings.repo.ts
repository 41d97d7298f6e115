import type { Db } from '../db/open.js';
import type { Queryable } from '../db/store.js';

/** Settings are JSON values under a key; each feature owns its keys and their defaults. */
export async function readSetting<T>(q: Queryable, key: string): Promise<T | undefined> {
  const row = await q.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function writeSetting(q: Queryable, key: string, value: unknown): Promise<void> {
  await q.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
    key,
    JSON.stringify(value),
  ]);
}

export async function deleteSetting(q: Queryable, key: string): Promise<void> {
  await q.run('DELETE FROM settings WHERE key = ?', [key]);
}

/*
 * Issue 10, phase 1 (transitional): the same statements on the better-sqlite3 connection, for the services
 * not yet moved onto the Store port (retention, token server settings, the expiry notice). Removed with
 * their last caller; a service on the port never calls these (see ServiceDeps.db).
 */

export function readSettingOnDb<T>(db: Db, key: string): T | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export function writeSettingOnDb(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  );
}

export function deleteSettingOnDb(db: Db, key: string): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(key);
}
