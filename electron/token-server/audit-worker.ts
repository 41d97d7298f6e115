import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection, type Db } from '../db/open.js';
import { sqliteStore } from '../db/store-sqlite.js';
import type { Store } from '../db/store.js';
import { timedAppend, type AuditBatch, type AuditWorkerData, type AuditWorkerReply } from './audit-sink.js';
import { followedIndexOf, IndexFollower } from './index-follower.js';

/**
 * The audit writer's thread (audit-sink.ts): its own connection to the store, with the settings every Keyrack
 * connection has (db/open.ts; WAL, synchronous=FULL: a batch is on disk when its reply is sent). It
 * commits the batches it is sent, one at a time, in order, and answers each; in the pauses between them it
 * brings the log's search index and activity counts up to date (index-follower.ts).
 */
const { file, nativeBinding, checkpointKey } = workerData as AuditWorkerData;
const port = parentPort!;
// Each batch moves the log's signed checkpoint in its own transaction (audit-checkpoint.repo.ts).
const key = checkpointKey ? Buffer.from(checkpointKey) : undefined;
let db: Db;
let store: Store;
try {
  db = openConnection(file, { nativeBinding });
  // The port over this thread's connection: the same append as the inline sink's (token-events.repo.ts).
  store = sqliteStore(db);
  port.postMessage({ ready: true, osThreadId: osThreadId() } satisfies AuditWorkerReply);
} catch (error) {
  port.postMessage({ ready: false, error: (error as Error).message } satisfies AuditWorkerReply);
  process.exit(1);
}

const follower = new IndexFollower(followedIndexOf(store), undefined, undefined, (message) => port.postMessage({ log: message } satisfies AuditWorkerReply));

/** This thread's id in the operating system (Linux: /proc/thread-self), so a benchmark can tell its CPU time apart. */
function osThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

/**
 * Batches are committed one at a time, in the order they were sent: each waits for the one before (the
 * writer sends the next only after this one's answer anyway; the chain keeps the guarantee here too).
 */
let previous: Promise<void> = Promise.resolve();

port.on('message', (message: AuditBatch | 'close') => {
  previous = previous.then(() => (message === 'close' ? close() : commit(message)));
});

async function close(): Promise<void> {
  await follower.close();
  db.close();
  port.close();
}

async function commit(batch: AuditBatch): Promise<void> {
  try {
    const micros = await timedAppend(store, batch.events, batch.uses, key);
    port.postMessage({ id: batch.id, ok: true, micros } satisfies AuditWorkerReply);
    follower.appended();
  } catch (error) {
    // The message only: it names SQLite's problem (disk full, I/O error), never a row's content.
    port.postMessage({ id: batch.id, ok: false, error: (error as Error).message } satisfies AuditWorkerReply);
  }
}
