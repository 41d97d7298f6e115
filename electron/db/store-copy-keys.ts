import type { KeyWrapper } from '../crypto/key-wrap.js';
import { isSafeStorageBlob } from '../shell/safe-storage-key-wrapper.js';
import type { PostgresClient } from './migrate.js';
import type { Db } from './open.js';
import { StoreCopyError } from './store-copy-plan.js';

/**
 * The wrapped keys of `keyrack store copy`. A PostgreSQL node unwraps the store's private keys (signing
 * keys, the log's checkpoint key) and the mail relay's upstream passwords with the master key it is given
 * (KEYRACK_MASTER_KEY or its data folder's master.key), so a value wrapped by anything else (the desktop
 * app's OS keychain, another master key) would arrive on PostgreSQL and never open there.
 *
 * Decided before anything is written, per key: one the nodes' master key opens is copied as it is; one
 * another wrapper of the copying process opens is unwrapped and wrapped again under the nodes' master key
 * (the plain key never leaves this process); one nothing here opens stops the copy, unless the caller asked
 * to leave such keys out (the nodes then create a new signing key). A wrapped value cannot always say what
 * wrapped it (two master keys write the same format; only the keychain's blobs carry a mark), so "opens" is
 * tried, and the mark only chooses the words of the refusal.
 *
 * `store copy --from` decides the same way for the data folder's SQLite store (planKeyCopyFromPostgres): it
 * unwraps with the same master key rule, so the nodes' keys are normally kept as they are.
 *
 * Adding a wrapped column to the schema: add it to WRAPPED_COLUMNS below (its SQL must read alike on both engines).
 */

export interface CopyKeyWrappers {
  /** What the target's nodes unwrap with: the master key (headlessKeyWrapper). */
  target: KeyWrapper;
  /** Other wrappers the copying process holds (the data folder's master.key when KEYRACK_MASTER_KEY differs). */
  sources?: KeyWrapper[];
  /** Leave out the keys nothing here can unwrap, rather than refuse the copy. */
  leaveOutUnreadable?: boolean;
  /** Who unwraps the copied keys, for the refusal's words: PostgreSQL's nodes (the default) or the data folder's SQLite store. */
  targetEngine?: 'postgres' | 'sqlite';
}

export type WrappedKeyFate = 'kept' | 'rewrapped' | 'left out';

/** One wrapped key of the source and what the copy does with it, for the summary. */
export interface WrappedKeyOutcome {
  /** `signing key <kid>`, `checkpoint key`, `mail upstream password of <mailbox>`. */
  key: string;
  /** Active signing key, retired one, the log's checkpoint key, or a mailbox's upstream password. */
  role: 'active' | 'retired' | 'checkpoint' | 'mail';
  fate: WrappedKeyFate;
  /** For a key left out: why nothing here opens it. */
  why?: string;
}

/** What the copy writes instead of a source row: the row with its key re-wrapped, or null to leave it out. */
export type RowRewrite = (row: unknown[]) => unknown[] | null;

export interface KeyCopyPlan {
  outcomes: WrappedKeyOutcome[];
  /** The rewrite for a table's rows (columns in the copy's order), or undefined when it holds no wrapped key. */
  rewriteFor(table: string, columns: string[]): RowRewrite | undefined;
}

/**
 * Where the store keeps wrapped values, one entry per column. `id` names a value's row (its `idColumn`, as
 * text). A left-out value takes its row with it, or only empties the column where the row means more than
 * the key (a mailbox's upstream settings: the password is typed again); `dependents` are rows of the same
 * table that only that key could authenticate, which go with it.
 */
interface WrappedColumn {
  table: string;
  idColumn: string;
  valueColumn: string;
  /** SQL both engines read alike (no parameters), and its rows as keys (BIGINTs come as numbers from either). */
  sql: string;
  keys(rows: Record<string, unknown>[]): { id: string; outcome: KeyOutcomeName; wrapped: Buffer }[];
  /** The column's form of wrapped bytes (a BLOB, or the JSON text the settings row holds). */
  encode(wrapped: Buffer): unknown;
  leftOut: 'row' | 'column';
  dependents?: string[];
}

type KeyOutcomeName = Omit<WrappedKeyOutcome, 'fate' | 'why'>;

/** settings rows (audit-checkpoint.repo.ts): the wrapped key, and the checkpoint only that key authenticates. */
const CHECKPOINT_KEY_SETTING = 'audit.checkpoint_key';
const CHECKPOINT_SETTING = 'audit.checkpoint';

const WRAPPED_COLUMNS: WrappedColumn[] = [
  {
    table: 'signing_keys',
    idColumn: 'kid',
    valueColumn: 'private_key',
    sql: 'SELECT kid, private_key, retired_at FROM signing_keys ORDER BY created_at, kid',
    keys: (rows) =>
      (rows as { kid: string; private_key: Buffer; retired_at: number | null }[]).map((r) => ({
        id: r.kid,
        outcome: { key: `signing key ${r.kid}`, role: r.retired_at === null ? 'active' : 'retired' },
        wrapped: r.private_key,
      })),
    encode: (wrapped) => wrapped,
    // Without its private half a signing key is of no use to a node, and the nodes create a new one.
    leftOut: 'row',
  },
  {
    table: 'settings',
    idColumn: 'key',
    valueColumn: 'value',
    sql: `SELECT value FROM settings WHERE key = '${CHECKPOINT_KEY_SETTING}'`,
    keys: (rows) =>
      (rows as { value: string }[]).map((row) => ({
        id: CHECKPOINT_KEY_SETTING,
        outcome: { key: 'checkpoint key', role: 'checkpoint' },
        wrapped: checkpointKeyBytes(row.value),
      })),
    encode: (wrapped) => JSON.stringify(wrapped.toString('base64')),
    leftOut: 'row',
    // A new key would find the old checkpoint unauthentic and call it forged.
    dependents: [CHECKPOINT_SETTING],
  },
  {
    table: 'mail_settings',
    idColumn: 'id',
    valueColumn: 'upstream_secret',
    sql: `SELECT s.id, s.upstream_secret, m.address FROM mail_settings s LEFT JOIN mailboxes m ON m.id = s.mailbox_id
           WHERE s.upstream_secret IS NOT NULL ORDER BY s.id`,
    keys: (rows) =>
      (rows as { id: number; upstream_secret: Buffer; address: string | null }[]).map((r) => ({
        id: String(r.id),
        outcome: { key: `mail upstream password of ${r.address ?? 'the default settings'}`, role: 'mail' },
        wrapped: r.upstream_secret,
      })),
    encode: (wrapped) => wrapped,
    // The mailbox's upstream stays; the page then shows no password set, and an administrator types it again.
    leftOut: 'column',
  },
];

type Decision = { fate: 'kept' } | { fate: 'rewrapped'; wrapped: Buffer } | { fate: 'left out'; why: string };

/**
 * Reads every wrapped value of the SQLite snapshot and decides its fate; throws StoreCopyError naming every
 * one that cannot be opened here, unless `leaveOutUnreadable`.
 */
export function planKeyCopy(sqlite: Db, wrappers: CopyKeyWrappers): KeyCopyPlan {
  return decideKeys((column) => sqlite.prepare(column.sql).all() as Record<string, unknown>[], wrappers);
}

/**
 * planKeyCopy for `store copy --from`: the wrapped values of a PostgreSQL store, read on `client` (inside the
 * copy's snapshot), decided for the data folder's SQLite store, which unwraps with the same master key.
 */
export async function planKeyCopyFromPostgres(client: PostgresClient, wrappers: CopyKeyWrappers): Promise<KeyCopyPlan> {
  const rows = new Map<WrappedColumn, Record<string, unknown>[]>();
  for (const column of WRAPPED_COLUMNS) rows.set(column, (await client.query(column.sql)).rows);
  return decideKeys((column) => rows.get(column)!, wrappers);
}

function decideKeys(read: (column: WrappedColumn) => Record<string, unknown>[], wrappers: CopyKeyWrappers): KeyCopyPlan {
  const decisions = new Map<string, Map<string, Decision>>();
  const outcomes: WrappedKeyOutcome[] = [];
  for (const column of WRAPPED_COLUMNS) {
    const byId = new Map<string, Decision>();
    for (const key of column.keys(read(column))) {
      const decision = decide(key.wrapped, wrappers);
      byId.set(key.id, decision);
      outcomes.push({ ...key.outcome, fate: decision.fate, ...(decision.fate === 'left out' ? { why: decision.why } : {}) });
    }
    decisions.set(column.table, byId);
  }
  const unreadable = outcomes.filter((o) => o.fate === 'left out');
  if (unreadable.length > 0 && !wrappers.leaveOutUnreadable) throw unreadableKeysError(unreadable, wrappers);
  return {
    outcomes,
    rewriteFor(table, columns) {
      const column = WRAPPED_COLUMNS.find((c) => c.table === table);
      const byId = decisions.get(table);
      if (!column || !byId || [...byId.values()].every((d) => d.fate === 'kept')) return undefined;
      return rowRewrite(column, columns, byId);
    },
  };
}

/** A re-wrapped value in its row; a left-out one's row (and the rows depending on it) not at all, or its column emptied. */
function rowRewrite(column: WrappedColumn, columns: string[], byId: Map<string, Decision>): RowRewrite {
  const id = columns.indexOf(column.idColumn);
  const value = columns.indexOf(column.valueColumn);
  const anyLeftOut = [...byId.values()].some((d) => d.fate === 'left out');
  const dropped = new Set(anyLeftOut ? (column.dependents ?? []) : []);
  const withValue = (row: unknown[], v: unknown) => row.map((old, i) => (i === value ? v : old));
  return (row) => {
    const rowId = String(row[id]);
    if (dropped.has(rowId)) return null;
    const decision = byId.get(rowId);
    if (!decision || decision.fate === 'kept') return row;
    if (decision.fate === 'rewrapped') return withValue(row, column.encode(decision.wrapped));
    return column.leftOut === 'row' ? null : withValue(row, null);
  };
}

/** The master key first: a key it opens needs no new wrapping, and its bytes stay those the source holds. */
function decide(wrapped: Buffer, wrappers: CopyKeyWrappers): Decision {
  const plain = tryUnwrap(wrappers.target, wrapped);
  if (plain) {
    plain.fill(0);
    return { fate: 'kept' };
  }
  for (const source of wrappers.sources ?? []) {
    const opened = tryUnwrap(source, wrapped);
    if (!opened) continue;
    try {
      return { fate: 'rewrapped', wrapped: wrappers.target.wrap(opened) };
    } finally {
      opened.fill(0);
    }
  }
  return {
    fate: 'left out',
    why: isSafeStorageBlob(wrapped)
      ? "wrapped by the desktop app's OS keychain, which this process cannot open"
      : `does not unwrap with ${wrappers.target.description}${wrappers.sources?.length ? ' or ' + wrappers.sources.map((s) => s.description).join(' or ') : ''}`,
  };
}

function tryUnwrap(wrapper: KeyWrapper, wrapped: Buffer): Buffer | undefined {
  try {
    return wrapper.unwrap(wrapped);
  } catch {
    return undefined;
  }
}

function unreadableKeysError(unreadable: WrappedKeyOutcome[], wrappers: CopyKeyWrappers): StoreCopyError {
  const list = unreadable.map((o) => `${describeWrappedKey(o)}: ${o.why}`).join('; ');
  const who = wrappers.targetEngine === 'sqlite' ? ["This data folder's SQLite store unwraps", 'it', 'Keyrack then creates'] : ['The PostgreSQL nodes unwrap', 'them', 'the nodes then create'];
  return new StoreCopyError(
    `${who[0]} keys with ${wrappers.target.description}, and this copy cannot re-wrap these for ${who[1]}: ${list}. ` +
      `Nothing was written. Copy with --leave-out-unreadable-keys to leave them out (${who[2]} a new signing ` +
      'key, and tokens signed with the old keys stop verifying; a mail upstream password is typed again), or give this ' +
      'command the master key that wrapped them ' +
      '(docs/scale-out.md, "Wrapped keys and the nodes\' master key").',
  );
}

/** `signing key <kid> (active)`, `checkpoint key`: how the summary and the refusal name a key. */
export function describeWrappedKey(outcome: Pick<WrappedKeyOutcome, 'key' | 'role'>): string {
  return outcome.role === 'active' || outcome.role === 'retired' ? `${outcome.key} (${outcome.role})` : outcome.key;
}

/** The setting's form (audit-checkpoint.repo.ts; change both together): the wrapped bytes as a JSON string of base64. */
function checkpointKeyBytes(value: string): Buffer {
  return Buffer.from(JSON.parse(value) as string, 'base64');
}
