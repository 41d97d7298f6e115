import type { Queryable } from '../db/store.js';
import type { MailboxInfo } from '../../shared/dto.js';
import { byName, idsIn, sameName } from './dialect.js';

interface MailboxRow {
  id: number;
  address: string;
  display_name: string;
  created_at: number;
}

export async function listMailboxes(q: Queryable): Promise<MailboxInfo[]> {
  const rows = await q.all<MailboxRow>(`SELECT * FROM mailboxes ORDER BY ${byName(q, 'address')}`);
  const infos: MailboxInfo[] = [];
  for (const row of rows) infos.push(await toInfo(q, row));
  return infos;
}

export async function findMailbox(q: Queryable, id: number): Promise<MailboxInfo | undefined> {
  const row = await q.get<MailboxRow>('SELECT * FROM mailboxes WHERE id = ?', [id]);
  return row && toInfo(q, row);
}

export async function findMailboxByAddress(q: Queryable, address: string): Promise<MailboxInfo | undefined> {
  const row = await q.get<MailboxRow>(`SELECT * FROM mailboxes WHERE ${sameName(q, 'address')}`, [address]);
  return row && toInfo(q, row);
}

async function toInfo(q: Queryable, r: MailboxRow): Promise<MailboxInfo> {
  const users = await q.all<{ id: number; name: string }>(
    `SELECT u.id, u.name FROM mailbox_assignments a JOIN users u ON u.id = a.user_id
     WHERE a.mailbox_id = ? ORDER BY ${byName(q, 'u.name')}`,
    [r.id],
  );
  return { id: r.id, address: r.address, displayName: r.display_name, createdAt: r.created_at, users };
}

export async function insertMailbox(q: Queryable, address: string, displayName: string, now: number): Promise<number> {
  const row = await q.get<{ id: number }>('INSERT INTO mailboxes (address, display_name, created_at) VALUES (?, ?, ?) RETURNING id', [
    address,
    displayName,
    now,
  ]);
  return row!.id;
}

export async function updateMailboxRow(q: Queryable, id: number, patch: { address?: string; displayName?: string }): Promise<void> {
  await q.run(
    `UPDATE mailboxes SET address = coalesce(?, address), display_name = coalesce(?, display_name)
     WHERE id = ?`,
    [patch.address ?? null, patch.displayName ?? null, id],
  );
}

export async function deleteMailboxRow(q: Queryable, id: number): Promise<void> {
  await q.run('DELETE FROM mailboxes WHERE id = ?', [id]);
}

export async function insertAssignment(q: Queryable, mailboxId: number, userId: number): Promise<boolean> {
  return (await q.run('INSERT INTO mailbox_assignments (mailbox_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [mailboxId, userId])).changes > 0;
}

export async function deleteAssignment(q: Queryable, mailboxId: number, userId: number): Promise<boolean> {
  return (await q.run('DELETE FROM mailbox_assignments WHERE mailbox_id = ? AND user_id = ?', [mailboxId, userId])).changes > 0;
}

const MAILBOXES_OF_USER_FROM = `SELECT m.id, m.address, m.display_name AS "displayName" FROM mailbox_assignments a
  JOIN mailboxes m ON m.id = a.mailbox_id WHERE a.user_id = ?`;
/** Addresses in the NOCASE order SQLite gives the column (byName, dialect.ts). */
const MAILBOXES_OF_USER = `${MAILBOXES_OF_USER_FROM} ORDER BY m.address`;

type UserMailbox = { id: number; address: string; displayName: string };

export async function mailboxesOfUser(q: Queryable, userId: number): Promise<UserMailbox[]> {
  return q.all<UserMailbox>(q.dialect === 'sqlite' ? MAILBOXES_OF_USER : `${MAILBOXES_OF_USER_FROM} ORDER BY ${byName(q, 'm.address')}`, [userId]);
}

export async function existingMailboxIds(q: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const rows = await q.all<{ id: number }>(`SELECT id FROM mailboxes WHERE id IN ${idsIn(q)}`, [JSON.stringify(ids)]);
  return new Set(rows.map((r) => r.id));
}

export async function setUserMailboxes(q: Queryable, userId: number, mailboxIds: readonly number[]): Promise<void> {
  await q.run('DELETE FROM mailbox_assignments WHERE user_id = ?', [userId]);
  for (const id of mailboxIds) await q.run('INSERT INTO mailbox_assignments (mailbox_id, user_id) VALUES (?, ?)', [id, userId]);
}
