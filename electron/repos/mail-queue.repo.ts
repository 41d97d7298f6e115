import type { Queryable } from '../db/store.js';
import type { MailQueueEntry, MailState } from '../../shared/mail.dto.js';

/**
 * The durable mail queue (migration 0120). Every state change is one conditional UPDATE on the row's current
 * state, so two workers (or a worker and an admin's retry) can never both move the same message: whoever's
 * UPDATE changed the row owns the step.
 */

export interface NewQueuedMessage {
  id: string;
  userId: number;
  userName: string;
  mailboxId: number;
  mailboxAddress: string;
  envelopeFrom: string;
  envelopeTo: readonly string[];
  recipientDomains: readonly string[];
  message: Buffer;
  source: 'smtp' | 'http';
  createdAt: number;
  giveUpAt: number;
}

/** A message claimed for delivery: what the worker needs to send it. */
export interface ClaimedMessage {
  id: string;
  mailboxId: number | null;
  mailboxAddress: string;
  userId: number | null;
  userName: string;
  envelopeFrom: string;
  envelopeTo: string[];
  recipientDomains: string[];
  message: Buffer;
  size: number;
  attempts: number;
  giveUpAt: number;
}

export async function insertQueuedMessage(q: Queryable, m: NewQueuedMessage): Promise<void> {
  await q.run(
    `INSERT INTO mail_queue (id, user_id, user_name, mailbox_id, mailbox_address, envelope_from, envelope_to, recipient_count,
       recipient_domains, message, size, source, state, attempts, next_attempt_at, give_up_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`,
    [
      m.id, m.userId, m.userName, m.mailboxId, m.mailboxAddress, m.envelopeFrom, JSON.stringify(m.envelopeTo), m.envelopeTo.length,
      JSON.stringify(m.recipientDomains), m.message, m.message.length, m.source, m.createdAt, m.giveUpAt, m.createdAt, m.createdAt,
    ],
  );
}

/** Messages the user had accepted from the mailbox since `since` (the daily limit counts every accepted one). */
export async function countAcceptedSince(q: Queryable, userId: number, mailboxId: number, since: number): Promise<number> {
  const row = await q.get<{ n: number }>(
    'SELECT count(*) AS n FROM mail_queue WHERE user_id = ? AND mailbox_id = ? AND created_at >= ?',
    [userId, mailboxId, since],
  );
  return Number(row?.n ?? 0);
}

interface ClaimRow {
  id: string;
  mailbox_id: number | null;
  mailbox_address: string;
  user_id: number | null;
  user_name: string;
  envelope_from: string;
  envelope_to: string;
  recipient_domains: string;
  message: Buffer;
  size: number;
  attempts: number;
  give_up_at: number;
}

/**
 * Claims the next due message, if any: one that is queued and due, or one whose `sending` lease ran out (its
 * relay died mid-delivery). Moves it to `sending` leased until `now + leaseMs`, counting the attempt. Run
 * inside a transaction, so the read and the conditional UPDATE are one step.
 */
export async function claimDueMessage(q: Queryable, now: number, leaseMs: number, owner: string): Promise<ClaimedMessage | undefined> {
  const due = await q.get<{ id: string; state: MailState }>(
    `SELECT id, state FROM mail_queue
     WHERE (state = 'queued' AND next_attempt_at <= ?) OR (state = 'sending' AND claimed_until < ?)
     ORDER BY next_attempt_at LIMIT 1`,
    [now, now],
  );
  if (!due) return undefined;
  const row = await q.get<ClaimRow>(
    `UPDATE mail_queue SET state = 'sending', claimed_until = ?, claimed_by = ?, attempts = attempts + 1, updated_at = ?
     WHERE id = ? AND state = ? RETURNING id, mailbox_id, mailbox_address, user_id, user_name, envelope_from, envelope_to,
       recipient_domains, message, size, attempts, give_up_at`,
    [now + leaseMs, owner, now, due.id, due.state],
  );
  if (!row) return undefined;
  return {
    id: row.id,
    mailboxId: row.mailbox_id === null ? null : Number(row.mailbox_id),
    mailboxAddress: row.mailbox_address,
    userId: row.user_id === null ? null : Number(row.user_id),
    userName: row.user_name,
    envelopeFrom: row.envelope_from,
    envelopeTo: JSON.parse(row.envelope_to) as string[],
    recipientDomains: JSON.parse(row.recipient_domains) as string[],
    message: Buffer.from(row.message),
    size: Number(row.size),
    attempts: Number(row.attempts),
    giveUpAt: Number(row.give_up_at),
  };
}

/**
 * The claims a relay of this node held when it stopped without finishing them (killed, power lost): due again
 * now. Run when a relay of the node starts, after its listeners are up (a second relay on the same node and
 * store cannot take the same ports, so it never gets here and never releases a live relay's claims).
 */
export async function releaseClaimsOf(q: Queryable, owner: string, now: number): Promise<number> {
  const r = await q.run(
    `UPDATE mail_queue SET state = 'queued', claimed_until = NULL, claimed_by = NULL, next_attempt_at = ?, updated_at = ?
     WHERE state = 'sending' AND claimed_by = ?`,
    [now, now, owner],
  );
  return r.changes;
}

/** Delivered: the raw bytes are cleared (the store keeps the trail, not the mail). */
export async function markSent(q: Queryable, id: string, now: number, reply: string): Promise<boolean> {
  const r = await q.run(
    `UPDATE mail_queue SET state = 'sent', message = ?, claimed_until = NULL, claimed_by = NULL, next_attempt_at = NULL, upstream_reply = ?,
       last_error = NULL, sent_at = ?, updated_at = ? WHERE id = ? AND state = 'sending'`,
    [Buffer.alloc(0), reply, now, now, id],
  );
  return r.changes > 0;
}

/** Not delivered this time: back to queued, due again at `nextAttemptAt`. */
export async function markDeferred(q: Queryable, id: string, now: number, nextAttemptAt: number, error: string, reply: string | null): Promise<boolean> {
  const r = await q.run(
    `UPDATE mail_queue SET state = 'queued', claimed_until = NULL, claimed_by = NULL, next_attempt_at = ?, last_error = ?, upstream_reply = ?,
       updated_at = ? WHERE id = ? AND state = 'sending'`,
    [nextAttemptAt, error, reply, now, id],
  );
  return r.changes > 0;
}

/** Given up: refused for good by the upstream, or still undelivered at give_up_at. */
export async function markFailed(q: Queryable, id: string, now: number, error: string, reply: string | null): Promise<boolean> {
  const r = await q.run(
    `UPDATE mail_queue SET state = 'failed', claimed_until = NULL, claimed_by = NULL, next_attempt_at = NULL, last_error = ?, upstream_reply = ?,
       updated_at = ? WHERE id = ? AND state = 'sending'`,
    [error, reply, now, id],
  );
  return r.changes > 0;
}

/** An admin's retry: a failed or waiting message due now, with a new give-up time. */
export async function requeueMessage(q: Queryable, id: string, now: number, giveUpAt: number): Promise<boolean> {
  const r = await q.run(
    `UPDATE mail_queue SET state = 'queued', next_attempt_at = ?, give_up_at = ?, updated_at = ?
     WHERE id = ? AND state IN ('failed', 'queued')`,
    [now, giveUpAt, now, id],
  );
  return r.changes > 0;
}

/** Removes a message that is not being handed to the upstream at this moment. */
export async function deleteQueuedMessage(q: Queryable, id: string): Promise<boolean> {
  return (await q.run(`DELETE FROM mail_queue WHERE id = ? AND state <> 'sending'`, [id])).changes > 0;
}

interface EntryRow {
  id: string;
  mailbox_id: number | null;
  mailbox_address: string;
  user_id: number | null;
  user_name: string;
  recipient_count: number;
  recipient_domains: string;
  size: number;
  state: MailState;
  attempts: number;
  next_attempt_at: number | null;
  give_up_at: number;
  last_error: string | null;
  upstream_reply: string | null;
  source: 'smtp' | 'http';
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

const ENTRY_COLUMNS = `id, mailbox_id, mailbox_address, user_id, user_name, recipient_count, recipient_domains, size, state, attempts,
  next_attempt_at, give_up_at, last_error, upstream_reply, source, created_at, updated_at, sent_at`;

const num = (v: number | null) => (v === null ? null : Number(v));
function rowToEntry(r: EntryRow): MailQueueEntry {
  return {
    id: r.id,
    mailboxId: num(r.mailbox_id),
    mailbox: r.mailbox_address,
    userId: num(r.user_id),
    userName: r.user_name,
    recipientCount: Number(r.recipient_count),
    recipientDomains: JSON.parse(r.recipient_domains) as string[],
    size: Number(r.size),
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: num(r.next_attempt_at),
    giveUpAt: Number(r.give_up_at),
    lastError: r.last_error,
    upstreamReply: r.upstream_reply,
    source: r.source,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    sentAt: num(r.sent_at),
  };
}

export async function findQueueEntry(q: Queryable, id: string): Promise<MailQueueEntry | undefined> {
  const row = await q.get<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM mail_queue WHERE id = ?`, [id]);
  return row && rowToEntry(row);
}

export async function listQueueEntries(
  q: Queryable,
  filter: { mailboxId?: number | undefined; state?: MailState | undefined },
  limit: number,
  offset: number,
): Promise<{ total: number; rows: MailQueueEntry[] }> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.mailboxId !== undefined) {
    where.push('mailbox_id = ?');
    params.push(filter.mailboxId);
  }
  if (filter.state !== undefined) {
    where.push('state = ?');
    params.push(filter.state);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await q.get<{ n: number }>(`SELECT count(*) AS n FROM mail_queue ${clause}`, params);
  const rows = await q.all<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM mail_queue ${clause} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  return { total: Number(total?.n ?? 0), rows: rows.map(rowToEntry) };
}

export interface MailboxQueueCounts {
  mailboxId: number;
  address: string;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  lastError: string | null;
  lastErrorAt: number | null;
  lastSentAt: number | null;
  /** Queued messages that already failed at least one attempt. */
  retrying: number;
}

/** Per mailbox that exists: the queue's counts by state, the newest error and the newest delivery. */
export async function queueCountsByMailbox(q: Queryable): Promise<MailboxQueueCounts[]> {
  const rows = await q.all<{
    id: number; address: string; queued: number; sending: number; sent: number; failed: number; retrying: number; last_sent_at: number | null;
  }>(
    `SELECT m.id, m.address,
       coalesce(sum(CASE WHEN q.state = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
       coalesce(sum(CASE WHEN q.state = 'sending' THEN 1 ELSE 0 END), 0) AS sending,
       coalesce(sum(CASE WHEN q.state = 'sent' THEN 1 ELSE 0 END), 0) AS sent,
       coalesce(sum(CASE WHEN q.state = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
       coalesce(sum(CASE WHEN q.state = 'queued' AND q.attempts > 0 THEN 1 ELSE 0 END), 0) AS retrying,
       max(q.sent_at) AS last_sent_at
     FROM mailboxes m LEFT JOIN mail_queue q ON q.mailbox_id = m.id
     GROUP BY m.id, m.address ORDER BY m.address`,
  );
  const errors = await q.all<{ mailbox_id: number; last_error: string; updated_at: number }>(
    `SELECT q.mailbox_id, q.last_error, q.updated_at FROM mail_queue q
     WHERE q.last_error IS NOT NULL AND q.updated_at = (
       SELECT max(r.updated_at) FROM mail_queue r WHERE r.mailbox_id = q.mailbox_id AND r.last_error IS NOT NULL)`,
  );
  const lastError = new Map(errors.map((e) => [Number(e.mailbox_id), e]));
  return rows.map((r) => {
    const e = lastError.get(Number(r.id));
    return {
      mailboxId: Number(r.id),
      address: r.address,
      queued: Number(r.queued),
      sending: Number(r.sending),
      sent: Number(r.sent),
      failed: Number(r.failed),
      retrying: Number(r.retrying),
      lastError: e?.last_error ?? null,
      lastErrorAt: e ? Number(e.updated_at) : null,
      lastSentAt: num(r.last_sent_at),
    };
  });
}
