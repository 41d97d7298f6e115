import { chainHash, GENESIS_HASH, type ChainedRow } from '../crypto/audit-chain.js';
import { upsertCheckpoint, writeCheckpoint } from './audit-checkpoint.repo.js';
import { catchUpOn } from './audit-index.repo.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';
import type { Queryable, SqlValue, Store } from '../db/store.js';
import type { AuditEvent } from '../../shared/dto.js';

/**
 * The log's hash chain: appending events (each linked to the one before), verifying the chain, and
 * pruning its oldest events behind an anchor. Reading the log (filters, full text, export pages) is
 * audit-search.repo.ts; its derived indexes are audit-index.repo.ts, its signed head audit-checkpoint.repo.ts.
 */

export type NewAuditEvent = Omit<AuditEvent, 'id'>;

/**
 * Appends one event to the hash chain, through the Store port. The chain needs the previous event's hash, so
 * the read and the insert share one write transaction: the caller's (`q` is its Queryable), or one of its
 * own when `q` is the store itself. Write transactions run one at a time (store.ts), so two writers queue
 * instead of forking the chain. `checkpointKey`: the key that signs the new head in the same transaction
 * (audit-checkpoint.repo.ts), when this process holds one.
 */
export async function insertAuditEvent(q: Queryable | Store, event: NewAuditEvent, checkpointKey: Buffer | undefined): Promise<number> {
  if ('transaction' in q) return q.transaction((tx) => insertAuditEvent(tx, event, checkpointKey));
  return (await appendAuditEventsOn(q, [event], checkpointKey)).head;
}

/**
 * Appends events to the hash chain in order, through the port, inside the caller's write transaction (the
 * chain's tail is read here, so two writers on any nodes queue on the store's write lock instead of forking
 * the chain): one admin action's event, or a batch of the token server's (audit-sink.ts). Returns the new
 * head's id (the tail's when `events` is empty).
 */
export async function appendAuditEventsOn(tx: Queryable, events: readonly NewAuditEvent[], checkpointKey: Buffer | undefined): Promise<{ head: number }> {
  const last = await tx.get<ChainTail>('SELECT id, at, hash FROM audit_events ORDER BY id DESC LIMIT 1');
  const tail = chainTail(last, last ? undefined : anchorFrom(await tx.get<{ value: string }>(CHAIN_ANCHOR_SQL)));
  const { rows, head } = linkEvents(tail, events);
  await insertEventRows(tx, rows);
  if (checkpointKey && rows.length > 0) await upsertCheckpoint(tx, checkpointKey, head);
  return { head: head.id };
}

/** Rows per INSERT on PostgreSQL: 14 values each, far below its 65 535 parameters; one round trip per 200 events. */
const ROWS_PER_INSERT = 200;

/**
 * The chained rows, in id order. SQLite runs its one prepared single-row statement per row (in-process,
 * that is its fastest way); PostgreSQL gets multi-row INSERTs, since there every statement is a round trip
 * made while the store's write lock is held by this batch.
 */
async function insertEventRows(tx: Queryable, rows: readonly LinkedRow[]): Promise<void> {
  if (tx.dialect === 'sqlite') {
    for (const row of rows) await tx.run(INSERT_EVENT_SQL, insertParams(row));
    return;
  }
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const values = chunk.map(() => EVENT_ROW_PLACEHOLDERS).join(', ');
    await tx.run(`${INSERT_EVENT_HEAD} VALUES ${values}`, chunk.flatMap(insertParams));
  }
}

/**
 * insertAuditEvent on a better-sqlite3 connection, synchronously: for seeding a log in tests and benches
 * (test/log/seed-events.ts). No service calls it; the same chain code (linkEvents).
 */
export function insertAuditEventOnDb(db: Db, event: NewAuditEvent): number {
  const append = () => appendAuditEvents(db, [event])[0]!;
  return db.inTransaction ? append() : db.transaction(append).immediate();
}

/**
 * Appends events to the hash chain in order and returns their ids. Must run inside a write transaction
 * (the chain's tail is read here). The tail is read once for the whole batch and the statements are
 * prepared once per connection. For seeding a log in tests and benches (insertAuditEventOnDb); every
 * service and the token server append through the port (appendAuditEventsOn).
 */
export function appendAuditEvents(db: Db, events: readonly NewAuditEvent[]): number[] {
  const { lastEvent, insert } = statementsOf(db);
  const last = lastEvent.get();
  const { rows, head } = linkEvents(chainTail(last, last ? undefined : chainAnchor(db)), events);
  for (const row of rows) insert.run(...insertParams(row));
  // The new head, signed in this same transaction: one HMAC and one row a batch, no commit of its own.
  if (rows.length > 0) writeCheckpoint(db, head);
  return rows.map((row) => row.id);
}

interface ChainTail {
  id: number;
  at: number;
  hash: Buffer;
}

/** Where an append continues: the newest event, else the anchor retention left, else the genesis. */
function chainTail(last: ChainTail | undefined, anchor: { id: number; hash: Buffer } | undefined): ChainTail {
  return { id: last?.id ?? anchor?.id ?? 0, at: last?.at ?? 0, hash: last?.hash ?? anchor?.hash ?? GENESIS_HASH };
}

type LinkedRow = ChainedRow & { prevHash: Buffer; hash: Buffer };

/**
 * The hash chain itself, with no I/O: `events` linked in order after `tail`, and the new head. Both appends
 * (the port's and the connection's) run this, so the chain is computed in one place.
 */
function linkEvents(tail: ChainTail, events: readonly NewAuditEvent[]): { rows: LinkedRow[]; head: ChainTail } {
  let { id, at, hash: prevHash } = tail;
  const rows: LinkedRow[] = [];
  for (const event of events) {
    id += 1;
    // Never earlier than the event before it (a clock stepped back): times follow ids, which is
    // what lets a time range become an id range (timeRangeToIds, audit-search.repo.ts).
    at = Math.max(event.at, at);
    const row: ChainedRow = {
      id,
      at,
      actor_kind: event.actorKind,
      actor_id: event.actorId,
      actor_name: event.actorName,
      type: event.type,
      target_user_id: event.targetUserId,
      target_name: event.targetName,
      outcome: event.outcome,
      reason: event.reason,
      source_ip: event.sourceIp,
      details: event.details === null ? null : JSON.stringify(event.details),
    };
    const hash = chainHash(prevHash, row);
    rows.push({ ...row, prevHash, hash });
    prevHash = hash;
  }
  return { rows, head: { id, at, hash: prevHash } };
}

const INSERT_EVENT_HEAD = `INSERT INTO audit_events (id, at, actor_kind, actor_id, actor_name, type, target_user_id, target_name,
   outcome, reason, source_ip, details, prev_hash, hash)`;
const EVENT_ROW_PLACEHOLDERS = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const INSERT_EVENT_SQL = `${INSERT_EVENT_HEAD} VALUES ${EVENT_ROW_PLACEHOLDERS}`;

/** INSERT_EVENT_SQL's parameters, in its column order. */
function insertParams(r: LinkedRow): SqlValue[] {
  return [r.id, r.at, r.actor_kind, r.actor_id, r.actor_name, r.type, r.target_user_id, r.target_name, r.outcome, r.reason, r.source_ip, r.details, r.prevHash, r.hash];
}

interface AppendStatements {
  lastEvent: Statement<[], ChainTail>;
  insert: Statement<SqlValue[]>;
}

/** Prepared once per connection: every change and every token issuance appends through them. */
const appendStatements = new WeakMap<Db, AppendStatements>();

function statementsOf(db: Db): AppendStatements {
  let statements = appendStatements.get(db);
  if (!statements) {
    statements = {
      lastEvent: db.prepare<[], ChainTail>('SELECT id, at, hash FROM audit_events ORDER BY id DESC LIMIT 1'),
      insert: db.prepare<SqlValue[]>(INSERT_EVENT_SQL),
    };
    appendStatements.set(db, statements);
  }
  return statements;
}

/** Where the chain starts when older events were pruned into an archive: the last pruned event. */
export function chainAnchor(db: Db): { id: number; hash: Buffer } | undefined {
  return anchorFrom(db.prepare<[], { value: string }>(CHAIN_ANCHOR_SQL).get());
}

const CHAIN_ANCHOR_SQL = `SELECT value FROM settings WHERE key = 'audit.chain_anchor'`;

function anchorFrom(row: { value: string } | undefined): { id: number; hash: Buffer } | undefined {
  if (!row) return undefined;
  return parseChainAnchor(row.value);
}

/** The chain anchor as the `audit.chain_anchor` setting holds it (JSON: id, hex hash), on either engine. */
export function parseChainAnchor(value: string): { id: number; hash: Buffer } {
  const anchor = JSON.parse(value) as { id: number; hash: string };
  return { id: anchor.id, hash: Buffer.from(anchor.hash, 'hex') };
}

export type ChainProblem =
  /** The row's content (or its stored hashes) no longer match: edited, or moved from elsewhere. */
  | 'edited'
  /** The row does not follow its predecessor: events were deleted, inserted or reordered before it. */
  | 'broken_link';

export interface ChainReport {
  checked: number;
  firstProblem: { id: number; problem: ChainProblem; previousId: number | null } | null;
}

export type StoredChainRow = ChainedRow & { prev_hash: Buffer | null; hash: Buffer | null };

/**
 * The chain check itself, one row at a time: linked to its predecessor, and its own hash intact. Exported
 * for `keyrack store copy`, which walks a PostgreSQL copy's rows with it (store-copy-verify.ts).
 */
export function chainWalker(start: { id: number; hash: Buffer } | undefined) {
  let prevHash: Buffer = start?.hash ?? GENESIS_HASH;
  let previousId: number | null = start?.id ?? null;
  let checked = 0;
  return {
    get checked() {
      return checked;
    },
    /** The problem this row shows, or null (and the walk moves past it). */
    step(row: StoredChainRow): ChainReport['firstProblem'] {
      const linked = row.prev_hash !== null && row.prev_hash.equals(prevHash) && row.id === (previousId ?? 0) + 1;
      const intact = row.hash !== null && row.prev_hash !== null && chainHash(row.prev_hash, row).equals(row.hash);
      if (!intact || !linked) return { id: row.id, problem: intact ? 'broken_link' : 'edited', previousId };
      prevHash = row.hash!;
      previousId = row.id;
      checked++;
      return null;
    },
  };
}

/**
 * Walks the whole log in id order, in constant memory. It starts from the chain anchor (the last event
 * retention archived), or from `start` when the caller vouches for another one: the last hash of an
 * archive it verified itself (see electron/services/log-archive.ts).
 */
export function verifyAuditChain(db: Db, onProgress?: (checked: number) => void, start?: { id: number; hash: Buffer }): ChainReport {
  const walker = chainWalker(start ?? chainAnchor(db));
  for (const row of db.prepare<[], StoredChainRow>('SELECT * FROM audit_events ORDER BY id').iterate()) {
    const problem = walker.step(row);
    if (problem) return { checked: walker.checked, firstProblem: problem };
    if (onProgress && walker.checked % 10_000 === 0) onProgress(walker.checked);
  }
  return { checked: walker.checked, firstProblem: null };
}

/**
 * verifyAuditChain through the Store port, in keyset pages of `pageSize` events (constant memory: the port
 * returns arrays), reporting progress after each page. With `breathe`, a macrotask between pages, for the
 * desktop's main process: a million events (tens of seconds) never freeze the window, and the token server
 * keeps appending meanwhile (new events are simply checked too).
 */
export async function verifyAuditChainInSteps(
  q: Queryable,
  onProgress?: (checked: number) => void,
  start?: { id: number; hash: Buffer },
  pageSize = 5_000,
  breathe = true,
): Promise<ChainReport> {
  const walker = chainWalker(start ?? (await readChainAnchor(q)));
  for (let after = 0; ; ) {
    const rows = await q.all<StoredChainRow>('SELECT * FROM audit_events WHERE id > ? ORDER BY id LIMIT ?', [after, pageSize]);
    for (const row of rows) {
      const problem = walker.step(row);
      if (problem) return { checked: walker.checked, firstProblem: problem };
    }
    if (rows.length < pageSize) return { checked: walker.checked, firstProblem: null };
    after = rows.at(-1)!.id;
    onProgress?.(walker.checked);
    if (breathe) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The newest event older than `at` (from the `at` index): the last one a retention period removes. */
export async function lastEventBefore(q: Queryable, at: number): Promise<{ id: number; hash: Buffer } | undefined> {
  const row = await q.get<{ id: number; hash: Buffer }>('SELECT id, hash FROM audit_events WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1', [at]);
  return row && { id: Number(row.id), hash: row.hash };
}

export async function firstAuditEventId(q: Queryable): Promise<number | undefined> {
  const row = await q.get<{ id: number }>('SELECT id FROM audit_events ORDER BY id LIMIT 1');
  return row && Number(row.id);
}

/** chainAnchor through the Store port. */
export async function readChainAnchor(q: Queryable): Promise<{ id: number; hash: Buffer } | undefined> {
  return anchorFrom(await q.get<{ value: string }>(CHAIN_ANCHOR_SQL));
}

/**
 * Removes the events up to `throughId` and moves the chain anchor to the last of them (its hash read here,
 * in the same transaction): the one DELETE the append-only trigger lets through (migration 0070),
 * authorised by a row that lives only inside this transaction. Runs inside the caller's write transaction
 * (`tx`). The caller must already hold the archive of these events. Returns how many were removed.
 */
export async function pruneAuditEventsThrough(tx: Queryable, throughId: number): Promise<number> {
  const last = await tx.get<{ hash: Buffer }>('SELECT hash FROM audit_events WHERE id = ?', [throughId]);
  if (!last) throw new Error(`no event ${throughId} to prune through`);
  const first = (await firstAuditEventId(tx))!;
  // The activity counts outlive the events; they must have counted these before they go.
  await catchUpOn(tx);
  await tx.run('INSERT INTO audit_prune_authorization (through_id) VALUES (?)', [throughId]);
  const removed = (await tx.run('DELETE FROM audit_events WHERE id <= ?', [throughId])).changes;
  await tx.run('DELETE FROM audit_prune_authorization');
  if (tx.dialect === 'postgres') {
    await tx.run('DELETE FROM audit_fts WHERE event_id <= ?', [throughId]);
  } else {
    // Contentless FTS5 (contentless_delete): a row is removed by its rowid, one at a time. A range
    // (`rowid <= ?`) makes FTS5 scan the whole index for the rowids in it: about 0.1 s more a chunk at a
    // million events. Ids have no gaps (the chain links each to the one before).
    for (let id = first; id <= throughId; id++) await tx.run('DELETE FROM audit_fts WHERE rowid = ?', [id]);
  }
  await tx.run(
    `INSERT INTO settings (key, value) VALUES ('audit.chain_anchor', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [JSON.stringify({ id: throughId, hash: last.hash.toString('hex') })],
  );
  return removed;
}
