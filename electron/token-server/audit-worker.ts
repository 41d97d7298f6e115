import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection, type Db } from '../db/open.js';
import { useCheckpointKey } from '../repos/audit-checkpoint.repo.js';
import { appendTokenEvents } from '../repos/token-events.repo.js';
import type { AuditBatch, AuditWorkerData, AuditWorkerReply } from './audit-sink.js';
import { IndexFollower } from './index-follower.js';

/**
 * The audit writer's thread (audit-sink.ts): its own connection to the store, with the settings every Keyrack
 * connection has (db/open.ts; WAL, synchronous=FULL: a batch is on disk when its reply is sent). It
 * commits the batches it is sent, one at a time, in order, and answers each; in the pauses between them it
 * brings the log's search index and activity counts up to date (index-follower.ts).
 */
const { file, nativeBinding, checkpointKey } = workerData as AuditWorkerData;
const port = parentPort!;
let db: Db;
try {
  db = openConnection(file, { nativeBinding });
  // Each batch moves the log's signed checkpoint in its own transaction (audit-checkpoint.repo.ts).
  if (checkpointKey) useCheckpointKey(db, Buffer.from(checkpointKey));
  port.postMessage({ ready: true, osThreadId: osThreadId() } satisfies AuditWorkerReply);
} catch (error) {
  port.postMessage({ ready: false, error: (error as Error).message } satisfies AuditWorkerReply);
  process.exit(1);
}

const follower = new IndexFollower(db, undefined, undefined, (message) => port.postMessage({ log: message } satisfies AuditWorkerReply));

/** This thread's id in the operating system (Linux: /proc/thread-self), so a benchmark can tell its CPU time apart. */
function osThreadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return undefined;
  }
}

port.on('message', (message: AuditBatch | 'close') => {
  if (message === 'close') {
    follower.close();
    db.close();
    port.close();
    return;
  }
  try {
    appendTokenEvents(db, message.events, message.uses);
    port.postMessage({ id: message.id, ok: true } satisfies AuditWorkerReply);
    follower.appended();
  } catch (error) {
    // The message only: it names SQLite's problem (disk full, I/O error), never a row's content.
    port.postMessage({ id: message.id, ok: false, error: (error as Error).message } satisfies AuditWorkerReply);
  }
});
