import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { checkpointAuthentic } from '../../electron/crypto/audit-checkpoint.js';
import { readStoredCheckpoint, useCheckpointKey } from '../../electron/repos/audit-checkpoint.repo.js';
import { verifyAuditChain } from '../../electron/repos/audit.repo.js';
import { workerAuditSink } from '../../electron/token-server/audit-sink.js';
import { claimsOf, startFixture, tokenEvents, tokenRequest, type Fixture } from './support.js';

/** The compiled worker (`npm run build`, which npm test runs first); vitest itself runs the TypeScript sources. */
const COMPILED_WORKER = new URL('../../dist/electron/token-server/audit-worker.js', import.meta.url);

describe('the audit writer on its worker thread', () => {
  let f: Fixture;
  const checkpointKey = randomBytes(32);
  beforeAll(async () => {
    expect(existsSync(fileURLToPath(COMPILED_WORKER)), 'run npm run build first').toBe(true);
    f = await startFixture();
    // The core's connection signs checkpoints; the worker is given that key and signs its batches too.
    useCheckpointKey(f.core.db, checkpointKey);
    // Swap the fixture's inline sink for the worker, on the same store.
    const sink = await workerAuditSink(f.core.db.name, { url: COMPILED_WORKER, checkpointKey });
    (f.server.context.audit as unknown as { sink: typeof sink }).sink = sink;
  });
  afterAll(() => f.close());

  test('issues tokens whose events and last use the worker committed, on the chain, before the answer', async () => {
    expect(f.server.context.audit.sink.kind).toBe('worker');
    const replies = await Promise.all(Array.from({ length: 30 }, () => tokenRequest(f)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    // Read through the server's own connection: the worker's commits are visible, each before its answer.
    const logged = new Set((await tokenEvents(f)).map((e) => e.details.jti));
    for (const r of replies) expect(logged.has(claimsOf(r.json.access_token as string).jti)).toBe(true);
    const use = f.core.db.prepare('SELECT last_used_ip AS ip FROM client_secrets WHERE id = ?').get(f.crm.secretId) as { ip: string };
    expect(use.ip).toBe('127.0.0.1');
    expect(verifyAuditChain(f.core.db).firstProblem).toBeNull();
  });

  test('each batch the worker commits moves the signed checkpoint to the new head, in the same transaction', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => tokenRequest(f)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const stored = readStoredCheckpoint(f.core.db);
    if (stored === null || stored === 'damaged') throw new Error('no checkpoint in the store');
    const head = f.core.db.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: Buffer };
    expect(stored.id).toBe(head.id);
    expect(stored.hash.equals(head.hash)).toBe(true);
    expect(checkpointAuthentic(checkpointKey, stored)).toBe(true);
  });

  test('times every commit: sent to durable on the main thread, the transaction alone on the worker, the first never shorter', async () => {
    const writer = f.server.context.audit;
    const sink = writer.sink;
    sink.transactionTimes.reset();
    writer.commitTimes.reset();
    for (let i = 0; i < 5; i++) expect((await tokenRequest(f)).status).toBe(200);
    // One request at a time: one commit each, so both histograms hold exactly five commits.
    expect(sink.transactionTimes.count).toBe(5);
    expect(writer.commitTimes.count).toBe(5);
    expect(sink.transactionTimes.min).toBeGreaterThan(0);
    expect(writer.commitTimes.min).toBeGreaterThanOrEqual(sink.transactionTimes.min);
  });

  // Linux only: the worker reads its id from /proc/thread-self, which other systems lack (it is then undefined
  // by design, and only the benchmark's CPU-by-thread report uses it).
  test.runIf(process.platform === 'linux')('names its own operating-system thread, one of this process and not the main one', () => {
    const tid = f.server.context.audit.sink.osThreadId;
    expect(tid).toBeGreaterThan(0);
    expect(tid).not.toBe(process.pid);
    expect(existsSync(`/proc/self/task/${tid}`)).toBe(true);
  });

  test('a batch the store refuses fails its requests (the writer then answers 500), and the worker keeps serving', async () => {
    // A temp trigger lives on one connection: make the worker's writes fail by filling its batch with a
    // row the schema refuses instead (an unknown actor kind fails the CHECK constraint).
    const sink = f.server.context.audit.sink;
    await expect(
      sink.write(
        [{ at: Date.now(), actorKind: 'nobody' as never, actorId: null, actorName: 'x', type: 'token.issued', targetUserId: null, targetName: null, outcome: 'success', reason: null, sourceIp: null, details: null }],
        [],
      ),
    ).rejects.toThrow(/CHECK constraint/);
    expect((await tokenRequest(f)).status).toBe(200); // the worker is still serving
  });
});

test('a worker that cannot start is reported, so the server can fall back to writing inline', async () => {
  const f = await startFixture();
  try {
    await expect(workerAuditSink(f.core.db.name, { url: new URL('./no-such-worker.js', import.meta.url) })).rejects.toThrow(/no audit worker/);
  } finally {
    await f.close();
  }
});

test('a log index catch-up failing on the worker thread is reported through the server’s log, and the appends go on', async () => {
  const f = await startFixture();
  const messages: string[] = [];
  const sink = await workerAuditSink(f.core.db.name, { url: COMPILED_WORKER, log: (m) => messages.push(m) });
  try {
    // A trigger in the schema (not TEMP) applies to the worker's connection too.
    f.core.db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON audit_activity BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const event = { at: Date.now(), actorKind: 'api' as const, actorId: null, actorName: 'x', type: 'token.denied' as const, targetUserId: null, targetName: null, outcome: 'failure' as const, reason: 'unknown_client', sourceIp: '127.0.0.1', details: null };
    await sink.write([event], []);
    // The follower looks once the appends have paused for 100 ms.
    await vi.waitFor(() => expect(messages).toEqual(['token server: log index catch-up failed: disk full; retrying']), { timeout: 5_000 });
    await expect(sink.write([event], [])).resolves.toBeUndefined();
  } finally {
    f.core.db.exec('DROP TRIGGER IF EXISTS refuse');
    await sink.close();
    await f.close();
  }
});
