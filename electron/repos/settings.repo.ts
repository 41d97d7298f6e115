import type { Queryable } from '../db/store.js';

const READ_SETTING_SQL = 'SELECT value FROM settings WHERE key = ?';

/** Settings are JSON values under a key; each feature owns its keys and their defaults. */
export async function readSetting<T>(q: Queryable, key: string): Promise<T | undefined> {
  const row = await q.get<{ value: string }>(READ_SETTING_SQL, [key]);
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
