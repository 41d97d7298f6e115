import type { Db } from '../db/open.js';
import type { AllowlistEntry, AllowlistEntryKind } from '../../shared/allowlist.js';

export function allowlistOfUser(db: Db, userId: number): AllowlistEntry[] {
  return db
    .prepare<[number], { kind: AllowlistEntryKind; entry: string }>(
      'SELECT kind, entry FROM allowlist_entries WHERE user_id = ? ORDER BY id',
    )
    .all(userId);
}

/** Replaces the user's allowlist with `entries` (already canonical and de-duplicated). */
export function setAllowlist(db: Db, userId: number, entries: readonly AllowlistEntry[]): void {
  db.prepare('DELETE FROM allowlist_entries WHERE user_id = ?').run(userId);
  const insert = db.prepare('INSERT INTO allowlist_entries (user_id, kind, entry) VALUES (?, ?, ?)');
  for (const e of entries) insert.run(userId, e.kind, e.entry);
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
export function providerWordsOfActiveApiUsers(db: Db): ProviderWordUseRow[] {
  return db
    .prepare<[], ProviderWordUseRow>(
      `SELECT a.entry AS provider, u.id AS user_id, u.name
         FROM allowlist_entries a
         JOIN users u ON u.id = a.user_id
        WHERE a.kind = 'provider' AND u.kind = 'api' AND u.status = 'active'
        ORDER BY a.entry, u.name, u.id`,
    )
    .all();
}
