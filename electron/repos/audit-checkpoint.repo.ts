import type { Statement } from 'better-sqlite3';
import { encodeCheckpoint, parseCheckpoint, signCheckpoint, type ChainHead, type Checkpoint } from '../crypto/audit-checkpoint.js';
import type { Db } from '../db/open.js';
import type { Queryable } from '../db/store.js';

/**
 * The in-store copy of the audit log's newest checkpoint (electron/crypto/audit-checkpoint.ts) and the
 * wrapped key that signs it, both in `settings` (no table of their own: one row each, replaced in place).
 */
const CHECKPOINT_KEY = 'audit.checkpoint';
const WRAPPED_KEY = 'audit.checkpoint_key';

/**
 * The unwrapped checkpoint key of each connection that has one. Set by the composition root (openCore)
 * and by the token server's audit thread for its own connection; a connection without one appends
 * events without moving the checkpoint (the next process that holds the key covers them).
 */
const keys = new WeakMap<Db, { key: Buffer; upsert: Statement<[string]> }>();

export function useCheckpointKey(db: Db, key: Buffer): void {
  const upsert = db.prepare<[string]>(
    `INSERT INTO settings (key, value) VALUES ('${CHECKPOINT_KEY}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  keys.set(db, { key, upsert });
}

export function checkpointKeyOf(db: Db): Buffer | undefined {
  return keys.get(db)?.key;
}

/**
 * Moves the in-store checkpoint to `head`, inside the caller's transaction (appendAuditEvents' batch), so
 * it costs one HMAC and one row update per batch and no commit of its own. No-op without a key.
 */
export function writeCheckpoint(db: Db, head: ChainHead): void {
  const held = keys.get(db);
  if (!held) return;
  held.upsert.run(encodeCheckpoint(signCheckpoint(held.key, head)));
}

/** writeCheckpoint through the Store port, inside the caller's transaction, with the key the caller holds. */
export async function upsertCheckpoint(q: Queryable, key: Buffer, head: ChainHead): Promise<void> {
  await q.run(
    `INSERT INTO settings (key, value) VALUES ('${CHECKPOINT_KEY}', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [encodeCheckpoint(signCheckpoint(key, head))],
  );
}

/*
 * Each reader below comes twice over one SQL text: on a connection, synchronously (opening the key at
 * start, the checkpoint file kept beside the store, the tests), and through the Store port (the check
 * `keyrack log verify` and the Log page run, audit-anchor.ts).
 */
const STORED_CHECKPOINT_SQL = `SELECT value FROM settings WHERE key = '${CHECKPOINT_KEY}'`;
const WRAPPED_KEY_SQL = `SELECT value FROM settings WHERE key = '${WRAPPED_KEY}'`;
const NEWEST_EVENT_SQL = 'SELECT id, at, hash FROM audit_events ORDER BY id DESC LIMIT 1';
const CHAIN_ANCHOR_SQL = `SELECT value FROM settings WHERE key = 'audit.chain_anchor'`;
const EVENT_HASH_SQL = 'SELECT hash FROM audit_events WHERE id = ?';

const checkpointOf = (row: { value: string } | undefined): Checkpoint | 'damaged' | null => (row ? (parseCheckpoint(row.value) ?? 'damaged') : null);
const wrappedKeyOf = (row: { value: string } | undefined): Buffer | null => (row ? Buffer.from(JSON.parse(row.value) as string, 'base64') : null);

/** The in-store checkpoint: null when there is none, 'damaged' when its row is not a well-formed one. */
export function readStoredCheckpoint(db: Db): Checkpoint | 'damaged' | null {
  return checkpointOf(db.prepare<[], { value: string }>(STORED_CHECKPOINT_SQL).get());
}

export async function readStoredCheckpointOn(q: Queryable): Promise<Checkpoint | 'damaged' | null> {
  return checkpointOf(await q.get<{ value: string }>(STORED_CHECKPOINT_SQL));
}

export function readWrappedCheckpointKey(db: Db): Buffer | null {
  return wrappedKeyOf(db.prepare<[], { value: string }>(WRAPPED_KEY_SQL).get());
}

export async function readWrappedCheckpointKeyOn(q: Queryable): Promise<Buffer | null> {
  return wrappedKeyOf(await q.get<{ value: string }>(WRAPPED_KEY_SQL));
}

/** Stores the wrapped key unless another process stored one first; returns whether this one was kept. */
export function insertWrappedCheckpointKey(db: Db, wrapped: Buffer): boolean {
  return (
    db.prepare(`INSERT INTO settings (key, value) VALUES ('${WRAPPED_KEY}', ?) ON CONFLICT (key) DO NOTHING`)
      .run(JSON.stringify(wrapped.toString('base64'))).changes === 1
  );
}

/** insertWrappedCheckpointKey through the Store port (a PostgreSQL store: every node opens one key). */
export async function insertWrappedCheckpointKeyOn(q: Queryable, wrapped: Buffer): Promise<boolean> {
  const inserted = await q.run(`INSERT INTO settings (key, value) VALUES ('${WRAPPED_KEY}', ?) ON CONFLICT (key) DO NOTHING`, [
    JSON.stringify(wrapped.toString('base64')),
  ]);
  return inserted.changes === 1;
}

/** The log's head: the newest event, or where retention's anchor left it when every event was pruned. */
export function chainHead(db: Db): ChainHead | null {
  const last = db.prepare<[], ChainHead>(NEWEST_EVENT_SQL).get();
  if (last) return last;
  return headFromAnchor(db.prepare<[], { value: string }>(CHAIN_ANCHOR_SQL).get());
}

export async function chainHeadOn(q: Queryable): Promise<ChainHead | null> {
  const last = await q.get<ChainHead>(NEWEST_EVENT_SQL);
  if (last) return last;
  return headFromAnchor(await q.get<{ value: string }>(CHAIN_ANCHOR_SQL));
}

function headFromAnchor(anchor: { value: string } | undefined): ChainHead | null {
  if (!anchor) return null;
  const { id, hash } = JSON.parse(anchor.value) as { id: number; hash: string };
  return { id, at: 0, hash: Buffer.from(hash, 'hex') };
}

/** The stored hash of event `id`, or undefined when there is no such event (never written, or pruned). */
export function eventHash(db: Db, id: number): Buffer | undefined {
  return db.prepare<[number], { hash: Buffer }>(EVENT_HASH_SQL).get(id)?.hash;
}

export async function eventHashOn(q: Queryable, id: number): Promise<Buffer | undefined> {
  return (await q.get<{ hash: Buffer }>(EVENT_HASH_SQL, [id]))?.hash;
}
