import { byName } from './dialect.js';
import type { Queryable } from '../db/store.js';
import type { AllowlistEntry, AllowlistEntryKind } from '../../shared/allowlist.js';

const ALLOWLIST_OF_USER = 'SELECT kind, entry FROM allowlist_entries WHERE user_id = ? ORDER BY id';

export async function allowlistOfUser(q: Queryable, userId: number): Promise<AllowlistEntry[]> {
  return q.all<{ kind: AllowlistEntryKind; entry: string }>(ALLOWLIST_OF_USER, [userId]);
}

/** Replaces the user's allowlist with `entries` (already canonical and de-duplicated). */
export async function setAllowlist(q: Queryable, userId: number, entries: readonly AllowlistEntry[]): Promise<void> {
  await q.run('DELETE FROM allowlist_entries WHERE user_id = ?', [userId]);
  for (const e of entries) {
    await q.run('INSERT INTO allowlist_entries (user_id, kind, entry) VALUES (?, ?, ?)', [userId, e.kind, e.entry]);
  }
}

export interface ProviderWordUseRow {
  provider: string;
  user_id: number;
  name: string;
}

/**
 * Which active API users name which provider word, by word then user name. A scan of allowlist_entries
 * (a handful of rows per API user); disabled users are left out, since nothing they are refused matters now.
 */
export async function providerWordsOfActiveApiUsers(q: Queryable): Promise<ProviderWordUseRow[]> {
  return q.all<ProviderWordUseRow>(
    `SELECT a.entry AS provider, u.id AS user_id, u.name
       FROM allowlist_entries a
       JOIN users u ON u.id = a.user_id
      WHERE a.kind = 'provider' AND u.kind = 'api' AND u.status = 'active'
      ORDER BY a.entry, ${byName(q, 'u.name')}, u.id`,
  );
}
