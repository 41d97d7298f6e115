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
