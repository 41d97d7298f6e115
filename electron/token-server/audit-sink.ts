import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Store } from '../db/store.js';
import type { NewAuditEvent } from '../repos/audit.repo.js';
import { appendTokenEvents, type CredentialUse } from '../repos/token-events.repo.js';
import { followedIndexOf, IndexFollower } from './index-follower.js';

/** Where the audit writer's batches are committed. `write` resolves once the batch is durable. */
export interface AuditSink {
  /** inline: on the event loop, through the server's store (SQLite's own connection, or PostgreSQL); worker: SQLite on a thread. */
  readonly kind: 'inline' | 'worker';
  /** The worker's thread id in the operating system, where it can tell (Linux); for the benchmark's CPU report. */
  readonly osThreadId?: number | undefined;
  /**
   * Each batch's transaction on the writing thread alone (rows, indexes, fsync), µs. Against the writer's
   * sent-to-durable time it tells the disk's share of a commit from the hand-off's (benchmark report).
   */
  readonly transactionTimes: RecordableHistogram;
  write(events: NewAuditEvent[], uses: CredentialUse[]): Promise<void>;
  close(): Promise<void>;
}

export interface AuditBatch {
  id: number;
  events: NewAuditEvent[];
  uses: CredentialUse[];
}
/** Operational messages of the sink (a failing index catch-up); never secrets or events. */
export type SinkLog = (message: string) => void;

export interface AuditWorkerData {
  file: string;
  nativeBinding?: string | undefined;
  /** The audit checkpoint key of the connection the worker was opened from: its batches move the checkpoint too. */
  checkpointKey?: Uint8Array | undefined;
}
export type AuditWorkerReply =
  | { ready: true; osThreadId?: number | undefined }
  | { ready: false; error: string }
  | { id: number; ok: true; micros: number }
  | { id: number; ok: false; error: string }
  | { log: string };

/**
 * On the event loop, through the server's store: on SQLite the server's own connection (tests, and the
 * fallback when the worker cannot start); on PostgreSQL always, since there a commit is I/O the event loop
 * waits for without blocking, and every node's batches queue on the store's write lock (one hash chain).
 */
export function inlineAuditSink(store: Store, checkpointKey: Buffer | undefined, log?: SinkLog): AuditSink {
  const follower = new IndexFollower(followedIndexOf(store), undefined, undefined, log);
  const transactionTimes = createHistogram();
  return {
    kind: 'inline',
    transactionTimes,
    async write(events, uses) {
      transactionTimes.record(await timedAppend(store, events, uses, checkpointKey));
      follower.appended();
    },
    close: () => follower.close(),
  };
}

/**
 * Appends a batch (appendTokenEvents) in one write transaction of `store` and says how long it took, µs (at
 * least 1: histograms start there).
 */
export async function timedAppend(
  store: Store,
  events: readonly NewAuditEvent[],
  uses: readonly CredentialUse[],
  checkpointKey: Buffer | undefined,
): Promise<number> {
  const started = performance.now();
  await store.transaction((tx) => appendTokenEvents(tx, events, uses, checkpointKey));
  return Math.max(1, Math.round((performance.now() - started) * 1000));
}

/** The audit thread's young generation (see workerAuditSink). */
const AUDIT_WORKER_YOUNG_GENERATION_MB = 8;

/** The compiled worker beside this module (dist/electron/token-server/audit-worker.js). */
export const AUDIT_WORKER_URL = new URL('./audit-worker.js', import.meta.url);

/**
 * On a thread of its own with its own connection: a commit (the audit rows with their indexes, then the
 * fsync) no longer stops the event loop, which meanwhile parses, checks
 * and signs the next requests; their rows form the next batch. Resolves once the worker has opened the
 * store; rejects if it cannot (no compiled worker, a better-sqlite3 binary for another runtime), and the
 * caller then writes inline.
 */
export async function workerAuditSink(
  file: string,
  options: { nativeBinding?: string | undefined; checkpointKey?: Buffer | undefined; url?: URL; log?: SinkLog | undefined } = {},
): Promise<AuditSink> {
  const url = options.url ?? AUDIT_WORKER_URL;
  if (url.protocol === 'file:' && !existsSync(fileURLToPath(url))) throw new Error(`no audit worker at ${url.href}`);
  const worker = new Worker(url, {
    workerData: { file, nativeBinding: options.nativeBinding, checkpointKey: options.checkpointKey } satisfies AuditWorkerData,
    // Under load V8 grows a thread's young generation to its 32 MB default maximum, all of it resident; the
    // writer's garbage is a batch's rows, so 8 MB keeps its RSS about 19 MB lower at the same throughput
    // (bench:token, 64 connections: 154 vs 173 MB for the whole server).
    resourceLimits: { maxYoungGenerationSizeMb: AUDIT_WORKER_YOUNG_GENERATION_MB },
  });
  const waiting = new Map<number, { done: () => void; failed: (error: Error) => void }>();
  let broken: Error | undefined;
  let nextId = 1;
  const failAll = (error: Error) => {
    broken ??= error;
    for (const w of waiting.values()) w.failed(error);
    waiting.clear();
  };
  const onStartError = (error: Error) => startFailed(error);
  const onStartExit = (code: number) => startFailed(new Error(`the audit worker exited with ${code}`));
  let startFailed: (error: Error) => void = () => {};
  let osThreadId: number | undefined;
  const transactionTimes = createHistogram();
  await new Promise<void>((resolve, reject) => {
    startFailed = reject;
    worker.once('error', onStartError);
    worker.once('exit', onStartExit);
    worker.once('message', (reply: AuditWorkerReply) => {
      if ('ready' in reply && reply.ready) {
        osThreadId = reply.osThreadId;
        resolve();
      } else {
        reject(new Error(`the audit worker could not open the store: ${'error' in reply ? reply.error : 'unknown'}`));
      }
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  // Only this module's own listeners: the Worker keeps its port referenced through listeners of its own.
  worker.off('error', onStartError);
  worker.off('exit', onStartExit);
  worker.on('message', (reply: AuditWorkerReply) => {
    if ('log' in reply) return options.log?.(`token server: ${reply.log}`);
    if (!('id' in reply)) return;
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) {
      transactionTimes.record(reply.micros);
      w?.done();
    }
    else w?.failed(new Error(reply.error));
  });
  // A dead worker fails every waiting and later request (500): never a token without its log entry.
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`the audit worker exited with ${code}`)));
  return {
    kind: 'worker',
    osThreadId,
    transactionTimes,
    write(events, uses) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      return new Promise((done, failed) => {
        waiting.set(id, { done, failed });
        worker.postMessage({ id, events, uses } satisfies AuditBatch);
      });
    },
    async close() {
      if (broken) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await exited;
    },
  };
}
