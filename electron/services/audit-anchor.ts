import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointAuthentic, encodeCheckpoint, parseCheckpoint, type Checkpoint } from '../crypto/audit-checkpoint.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Db } from '../db/open.js';
import type { CheckpointVerdict } from '../../shared/log.dto.js';
import type { Queryable, Store } from '../db/store.js';
import {
  chainHead,
  chainHeadOn,
  eventHashOn,
  insertWrappedCheckpointKey,
  insertWrappedCheckpointKeyOn,
  readStoredCheckpoint,
  readStoredCheckpointOn,
  readWrappedCheckpointKey,
  readWrappedCheckpointKeyOn,
  upsertCheckpoint,
  useCheckpointKey,
  writeCheckpoint,
} from '../repos/audit-checkpoint.repo.js';

/**
 * Anchoring the audit log's head (electron/crypto/audit-checkpoint.ts). Two copies of the newest
 * checkpoint: one in the store, moved by every batch of appends inside its own transaction, and this
 * file beside the store, rewritten (atomically, two fsyncs) at most once a minute and when the store
 * closes, and never moved backwards. Rolling the store back alone, or cutting its tail, leaves the file
 * ahead of it. What this cannot catch is said in docs/log.md ("Anchored checkpoints").
 */
export const CHECKPOINT_FILE = 'audit-checkpoint.json';

/** How often a long-running process (the app, `keyrack serve`) copies the store's checkpoint to the file. */
export const CHECKPOINT_FILE_INTERVAL_MS = 60_000;

export type CheckpointKeyState =
  | { state: 'held'; key: Buffer; created: boolean }
  /** This process cannot open the key: no wrapper, a key wrapped by the OS keychain, a refused key file. */
  | { state: 'unavailable'; reason: string };

/**
 * Opens the store's checkpoint key with `wrapper` and lets this connection sign checkpoints. The first
 * process with a wrapper creates it (random, 32 bytes, stored only wrapped) and checkpoints the head as
 * it finds it. Never throws: without the key, events are still appended and chained, and verification
 * says the head could not be checked here.
 */
export function openCheckpointKey(db: Db, wrapper: () => KeyWrapper): CheckpointKeyState {
  try {
    let wrapped = readWrappedCheckpointKey(db);
    if (!wrapped) {
      const key = randomBytes(32);
      const sealed = wrapper().wrap(key);
      const created = db.transaction(() => {
        if (!insertWrappedCheckpointKey(db, sealed)) return false; // another process was first: use its key
        useCheckpointKey(db, key);
        const head = chainHead(db);
        if (head) writeCheckpoint(db, head);
        return true;
      }).immediate();
      if (created) return { state: 'held', key, created: true };
      wrapped = readWrappedCheckpointKey(db)!;
    }
    const key = wrapper().unwrap(wrapped);
    useCheckpointKey(db, key);
    return { state: 'held', key, created: false };
  } catch (error) {
    return { state: 'unavailable', reason: (error as Error).message };
  }
}

/**
 * openCheckpointKey on a shared store (PostgreSQL): the key is the store's, wrapped by the master key every
 * node is given, so all nodes sign the one log's checkpoints with it. Same rules: the first opener creates
 * it and checkpoints the head as it finds it; never throws.
 */
export async function openCheckpointKeyOn(store: Store, wrapper: () => KeyWrapper): Promise<CheckpointKeyState> {
  try {
    let wrapped = await readWrappedCheckpointKeyOn(store);
    if (!wrapped) {
      const key = randomBytes(32);
      const sealed = wrapper().wrap(key);
      const created = await store.transaction(async (tx) => {
        if (!(await insertWrappedCheckpointKeyOn(tx, sealed))) return false; // another node was first: use its key
        const head = await chainHeadOn(tx);
        if (head) await upsertCheckpoint(tx, key, head);
        return true;
      });
      if (created) return { state: 'held', key, created: true };
      wrapped = (await readWrappedCheckpointKeyOn(store))!;
    }
    return { state: 'held', key: wrapper().unwrap(wrapped), created: false };
  } catch (error) {
    return { state: 'unavailable', reason: (error as Error).message };
  }
}

type CheckpointCopy = { state: 'missing' } | { state: 'damaged' } | { state: 'present'; checkpoint: Checkpoint };

export function readCheckpointFile(dataDir: string): CheckpointCopy {
  let text: string;
  try {
    text = readFileSync(join(dataDir, CHECKPOINT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'damaged' };
  }
  const checkpoint = parseCheckpoint(text);
  return checkpoint ? { state: 'present', checkpoint } : { state: 'damaged' };
}

/**
 * Copies the store's checkpoint to the file beside it when it is authentic and newer than the file's
 * authentic one. Never backwards: a store cut short or rolled back must not pull the file back with it.
 * Returns whether the file was written.
 */
export function updateCheckpointFile(dataDir: string, db: Db, key: Buffer): boolean {
  const stored = readStoredCheckpoint(db);
  if (!stored || stored === 'damaged' || !checkpointAuthentic(key, stored)) return false;
  const file = readCheckpointFile(dataDir);
  if (file.state === 'present' && checkpointAuthentic(key, file.checkpoint) && file.checkpoint.id >= stored.id) return false;
  writeFileAtomic(join(dataDir, CHECKPOINT_FILE), `${encodeCheckpoint(stored)}\n`);
  return true;
}

/**
 * The file copy of the checkpoint: refreshed once a CHECKPOINT_FILE_INTERVAL_MS while the store is open
 * (not per batch: an atomic file write costs two fsyncs) and at close. A failure is said, never thrown:
 * the in-store copy still moved with every batch.
 */
export function keepCheckpointFile(dataDir: string, db: Db, key: Buffer, notify: (message: string) => void): { stop(): void } {
  const update = () => {
    try {
      updateCheckpointFile(dataDir, db, key);
    } catch (error) {
      notify(`could not write the log's checkpoint beside the store: ${(error as Error).message}`);
    }
  };
  update();
  const timer = setInterval(update, CHECKPOINT_FILE_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (db.open) update();
    },
  };
}

export type CopySource = 'store' | 'file';

export interface CheckpointReport {
  verdict: CheckpointVerdict;
  /** The newest authentic checkpoint, which the verdict is about (null when there is none). */
  checkpoint: { id: number; at: number; source: CopySource } | null;
  /** The log's newest event id (or retention's anchor when everything was pruned); null for an empty log. */
  headId: number | null;
  /** Events after the checkpoint: written by a process without the key, vouched for by the chain only. */
  uncovered: number;
  copies: { source: CopySource; state: 'authentic' | 'forged' | 'damaged' | 'missing'; id: number | null }[];
  /** For no_key: why the key could not be opened. */
  reason?: string;
}

/** The verdicts that fail verification, worst first: a failed check is never hidden behind an intact copy. */
const SEVERITY: readonly CheckpointVerdict[] = ['missing_tail', 'forged_chain', 'forged_checkpoint', 'checkpoint_removed'];

export const checkpointFailed = (report: CheckpointReport): boolean => SEVERITY.includes(report.verdict);

/**
 * Checks both copies of the newest checkpoint against the log. Writes nothing.
 *
 * The file first, then the store in one transaction of the port's (a write transaction, the only kind it
 * has: the few reads take the write lock for a moment, so no batch commits in between): the token server's
 * audit thread commits batches meanwhile (head and in-store checkpoint together), and the file only ever
 * holds a committed checkpoint, so reading them in this order never sees a checkpoint ahead of the head it
 * was read with.
 */
export async function verifyCheckpoints(store: Store, dataDir: string, keyState: CheckpointKeyState | undefined): Promise<CheckpointReport> {
  const file = readCheckpointFile(dataDir);
  return store.transaction((tx) => verifyAgainst(tx, file, keyState));
}

async function verifyAgainst(q: Queryable, file: CheckpointCopy, keyState: CheckpointKeyState | undefined): Promise<CheckpointReport> {
  const head = await chainHeadOn(q);
  const headId = head?.id ?? null;
  const base = { checkpoint: null, headId, uncovered: 0, copies: [] };
  const hasStoredKey = (await readWrappedCheckpointKeyOn(q)) !== null;
  if (!keyState || keyState.state === 'unavailable') {
    if (!hasStoredKey) return { ...base, verdict: 'not_anchored' };
    return { ...base, verdict: 'no_key', reason: keyState?.reason ?? 'this process was given no key wrapper' };
  }
  const key = keyState.key;
  const stored = await readStoredCheckpointCopy(q);
  const copies: { source: CopySource; copy: CheckpointCopy }[] = [
    { source: 'store', copy: stored },
    { source: 'file', copy: file },
  ];
  const found: CheckpointVerdict[] = [];
  const report: CheckpointReport = { ...base, verdict: 'anchored', copies: [] };
  for (const { source, copy } of copies) {
    if (copy.state !== 'present') {
      report.copies.push({ source, state: copy.state, id: null });
      if (copy.state === 'damaged') found.push('forged_checkpoint');
      continue;
    }
    const c = copy.checkpoint;
    if (!checkpointAuthentic(key, c)) {
      report.copies.push({ source, state: 'forged', id: c.id });
      found.push('forged_checkpoint');
      continue;
    }
    report.copies.push({ source, state: 'authentic', id: c.id });
    if (!report.checkpoint || c.id > report.checkpoint.id) report.checkpoint = { id: c.id, at: c.at, source };
    const problem = await checkAgainstLog(q, head, c);
    if (problem) found.push(problem);
  }
  if (!report.checkpoint && !found.length && headId !== null) found.push('checkpoint_removed');
  report.verdict = SEVERITY.find((v) => found.includes(v)) ?? 'anchored';
  if (report.checkpoint && headId !== null) report.uncovered = Math.max(0, headId - report.checkpoint.id);
  return report;
}

async function readStoredCheckpointCopy(q: Queryable): Promise<CheckpointCopy> {
  const checkpoint = await readStoredCheckpointOn(q);
  if (checkpoint === null) return { state: 'missing' };
  return checkpoint === 'damaged' ? { state: 'damaged' } : { state: 'present', checkpoint };
}

async function checkAgainstLog(q: Queryable, head: { id: number; hash: Buffer } | null, c: Checkpoint): Promise<CheckpointVerdict | null> {
  if (!head || head.id < c.id) return 'missing_tail';
  if (head.id === c.id) return head.hash.equals(c.hash) ? null : 'forged_chain';
  const hash = await eventHashOn(q, c.id);
  // Older than what retention kept: the archive's own check vouches for that part.
  if (hash === undefined) return null;
  return hash.equals(c.hash) ? null : 'forged_chain';
}
