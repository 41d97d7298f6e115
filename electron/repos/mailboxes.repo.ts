import type { Db } from '../db/open.js';
import type { MailboxInfo } from '../../shared/dto.js';

interface MailboxRow {
  id: number;
  address: string;
  display_name: string;
  created_at: number;
}

export function listMailboxes(db: Db): MailboxInfo[] {
  return db.prepare<[], MailboxRow>('SELECT * FROM mailboxes ORDER BY address').all().map((r) => toInfo(db, r));
}

export function findMailbox(db: Db, id: number): MailboxInfo | undefined {
  const row = db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE id = ?').get(id);
  return row && toInfo(db, row);
}

export function findMailboxByAddress(db: Db, address: string): MailboxInfo | undefined {
  const row = db.prepare<[string], MailboxRow>('SELECT * FROM mailboxes WHERE address = ?').get(address);
  return row && toInfo(db, row);
}

function toInfo(db: Db, r: MailboxRow): MailboxInfo {
  const users = db
    .prepare<[number], { id: number; name: string }>(
      `SELECT u.id, u.name FROM mailbox_assignments a JOIN users u ON u.id = a.user_id
       WHERE a.mailbox_id = ? ORDER BY u.name COLLATE NOCASE`,
    )
    .all(r.id);
  return { id: r.id, address: r.address, displayName: r.display_name, createdAt: r.created_at, users };
}

export function insertMailbox(db: Db, address: string, displayName: string, now: number): number {
  return Number(
    db.prepare('INSERT INTO mailboxes (address, display_name, created_at) VALUES (?, ?, ?)').run(address, displayName, now)
      .lastInsertRowid,
  );
}

export function updateMailboxRow(db: Db, id: number, patch: { address?: string; displayName?: string }): void {
  db.prepare(
    `UPDATE mailboxes SET address = coalesce(@address, address), display_name = coalesce(@displayName, display_name)
     WHERE id = @id`,
  ).run({ id, address: patch.address ?? null, displayName: patch.displayName ?? null });
}

export function deleteMailboxRow(db: Db, id: number): void {
  db.prepare('DELETE FROM mailboxes WHERE id = ?').run(id);
}

export function insertAssignment(db: Db, mailboxId: number, userId: number): boolean {
  return (
    db.prepare('INSERT OR IGNORE INTO mailbox_assignments (mailbox_id, user_id) VALUES (?, ?)').run(mailboxId, userId)
      .changes > 0
  );
}

export function deleteAssignment(db: Db, mailboxId: number, userId: number): boolean {
  return (
    db.prepare('DELETE FROM mailbox_assignments WHERE mailbox_id = ? AND user_id = ?').run(mailboxId, userId).changes > 0
  );
}

export function mailboxesOfUser(db: Db, userId: number): { id: number; address: string; displayName: string }[] {
  return db
    .prepare<[number], { id: number; address: string; displayName: string }>(
      `SELECT m.id, m.address, m.display_name AS displayName FROM mailbox_assignments a
       JOIN mailboxes m ON m.id = a.mailbox_id WHERE a.user_id = ? ORDER BY m.address`,
    )
    .all(userId);
}

export function existingMailboxIds(db: Db, ids: readonly number[]): Set<number> {
  return new Set(
    db
      .prepare<[string], { id: number }>('SELECT id FROM mailboxes WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids))
      .map((r) => r.id),
  );
}

export function setUserMailboxes(db: Db, userId: number, mailboxIds: readonly number[]): void {
  db.prepare('DELETE FROM mailbox_assignments WHERE user_id = ?').run(userId);
  const insert = db.prepare('INSERT INTO mailbox_assignments (mailbox_id, user_id) VALUES (?, ?)');
  for (const id of mailboxIds) insert.run(id, userId);
}
