import type { KeyWrapper } from '../crypto/key-wrap.js';
import { isSafeStorageBlob } from '../shell/safe-storage-key-wrapper.js';
import type { Db } from './open.js';
import { StoreCopyError } from './store-copy-plan.js';

/**
 * The wrapped keys of `keyrack store copy`. A PostgreSQL node unwraps the store's private keys with the
 * master key it is given (KEYRACK_MASTER_KEY or its data folder's master.key), so a key wrapped by anything
 * else (the desktop app's OS keychain, another master key) would arrive on PostgreSQL and never open there.
 *
 * Decided before anything is written, per key: one the nodes' master key opens is copied as it is; one
 * another wrapper of the copying process opens is unwrapped and wrapped again under the nodes' master key
 * (the plain key never leaves this process); one nothing here opens stops the copy, unless the caller asked
 * to leave such keys out (the nodes then create a new signing key). A wrapped value cannot always say what
 * wrapped it (two master keys write the same format; only the keychain's blobs carry a mark), so "opens" is
 * tried, and the mark only chooses the words of the refusal.
 *
 * Adding a wrapped column to the schema: add it to readWrappedKeys and to the row rewrite below.
 */

export interface CopyKeyWrappers {
  /** What the target's nodes unwrap with: the master key (headlessKeyWrapper). */
  target: KeyWrapper;
  /** Other wrappers the copying process holds (the data folder's master.key when KEYRACK_MASTER_KEY differs). */
  sources?: KeyWrapper[];
  /** Leave out the keys nothing here can unwrap, rather than refuse the copy. */
  leaveOutUnreadable?: boolean;
}

export type WrappedKeyFate = 'kept' | 'rewrapped' | 'left out';

/** One wrapped key of the source and what the copy does with it, for the summary. */
export interface WrappedKeyOutcome {
  /** `signing key <kid>` or `checkpoint key`. */
  key: string;
  /** Active signing key, retired one, or the log's checkpoint key. */
  role: 'active' | 'retired' | 'checkpoint';
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

/** settings rows (audit-checkpoint.repo.ts): the wrapped key, and the checkpoint only that key authenticates. */
const CHECKPOINT_KEY_SETTING = 'audit.checkpoint_key';
const CHECKPOINT_SETTING = 'audit.checkpoint';

interface WrappedKey {
  outcome: Omit<WrappedKeyOutcome, 'fate' | 'why'>;
  wrapped: Buffer;
}

type Decision = { fate: 'kept' } | { fate: 'rewrapped'; wrapped: Buffer } | { fate: 'left out'; why: string };

/**
 * Reads every wrapped key of the snapshot and decides its fate; throws StoreCopyError naming every key
 * that cannot be opened here, unless `leaveOutUnreadable`.
 */
export function planKeyCopy(sqlite: Db, wrappers: CopyKeyWrappers): KeyCopyPlan {
  const signing = new Map<string, Decision>();
  let checkpoint: Decision | undefined;
  const outcomes: WrappedKeyOutcome[] = [];
  for (const key of readWrappedKeys(sqlite)) {
    const decision = decide(key.wrapped, wrappers);
    outcomes.push({ ...key.outcome, fate: decision.fate, ...(decision.fate === 'left out' ? { why: decision.why } : {}) });
    if (key.outcome.role === 'checkpoint') checkpoint = decision;
    else signing.set(key.outcome.key.slice('signing key '.length), decision);
  }
  const unreadable = outcomes.filter((o) => o.fate === 'left out');
  if (unreadable.length > 0 && !wrappers.leaveOutUnreadable) throw unreadableKeysError(unreadable, wrappers.target);
  return {
    outcomes,
    rewriteFor(table, columns) {
      if (table === 'signing_keys') return signingKeyRewrite(columns, signing);
      if (table === 'settings' && checkpoint && checkpoint.fate !== 'kept') return checkpointRewrite(columns, checkpoint);
      return undefined;
    },
  };
}

function readWrappedKeys(sqlite: Db): WrappedKey[] {
  const keys: WrappedKey[] = [];
  const rows = sqlite.prepare('SELECT kid, private_key, retired_at FROM signing_keys ORDER BY created_at, kid').all() as {
    kid: string;
    private_key: Buffer;
    retired_at: number | null;
  }[];
  for (const row of rows) {
    keys.push({ outcome: { key: `signing key ${row.kid}`, role: row.retired_at === null ? 'active' : 'retired' }, wrapped: row.private_key });
  }
  const setting = sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(CHECKPOINT_KEY_SETTING) as { value: string } | undefined;
  if (setting) keys.push({ outcome: { key: 'checkpoint key', role: 'checkpoint' }, wrapped: checkpointKeyBytes(setting.value) });
  return keys;
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

function unreadableKeysError(unreadable: WrappedKeyOutcome[], target: KeyWrapper): StoreCopyError {
  const list = unreadable.map((o) => `${o.key}${o.role === 'checkpoint' ? '' : ` (${o.role})`}: ${o.why}`).join('; ');
  return new StoreCopyError(
    `The PostgreSQL nodes unwrap keys with ${target.description}, and this copy cannot re-wrap these for them: ${list}. ` +
      'Nothing was written. Copy with --leave-out-unreadable-keys to leave them out (the nodes then create a new signing ' +
      'key; tokens signed with the old keys stop verifying), or give this command the master key that wrapped them ' +
      '(docs/scale-out.md, "Wrapped keys and the nodes\' master key").',
  );
}

/** signing_keys rows: a re-wrapped key's new bytes; a left-out key's row not at all. */
function signingKeyRewrite(columns: string[], decisions: Map<string, Decision>): RowRewrite {
  const kid = columns.indexOf('kid');
  const privateKey = columns.indexOf('private_key');
  return (row) => {
    const decision = decisions.get(row[kid] as string);
    if (!decision || decision.fate === 'kept') return row;
    if (decision.fate === 'left out') return null;
    return row.map((value, i) => (i === privateKey ? decision.wrapped : value));
  };
}

/**
 * The checkpoint key's settings row re-wrapped or left out; left out, the in-store checkpoint it signed goes
 * too, or the new key the nodes create would find a checkpoint it cannot authenticate and call it forged.
 */
function checkpointRewrite(columns: string[], decision: Exclude<Decision, { fate: 'kept' }>): RowRewrite {
  const key = columns.indexOf('key');
  const value = columns.indexOf('value');
  return (row) => {
    if (row[key] === CHECKPOINT_SETTING) return decision.fate === 'left out' ? null : row;
    if (row[key] !== CHECKPOINT_KEY_SETTING) return row;
    if (decision.fate === 'left out') return null;
    return row.map((v, i) => (i === value ? checkpointKeyText(decision.wrapped) : v));
  };
}

/** The setting's form (audit-checkpoint.repo.ts): the wrapped bytes as a JSON string of base64. */
const checkpointKeyBytes = (value: string): Buffer => Buffer.from(JSON.parse(value) as string, 'base64');
const checkpointKeyText = (wrapped: Buffer): string => JSON.stringify(wrapped.toString('base64'));
