import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createLogHandlers } from '../../electron/ipc/handlers-log.js';
import type { CallContext } from '../../electron/ipc/handlers.js';
import { memorySessionSlot } from '../../electron/ipc/handlers.js';
import { personActor } from '../../electron/ipc/actor.js';
import type { Actor } from '../../electron/services/context.js';
import { EXPORT_PAGE_SIZE, exportAuditLog } from '../../electron/services/log-export.js';
import { parseCsv } from './parse-csv.js';
import { LogExportJobs } from '../../electron/services/log-export-jobs.js';
import { fixedPathSaveStream } from '../../electron/shell/save-stream.js';
import { parseInputOf } from '../../shared/contract.js';
import { ForbiddenError } from '../../shared/errors.js';
import type { AuditEvent } from '../../shared/dto.js';
import type { LogExportStarted } from '../../shared/log.dto.js';
import { keyrack } from '../support/cli.js';
import { inPromise, tempDir } from '../support/core.js';
import { powerlessPerson } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { seedEventsOn } from './seed-events.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  beforeEach(async () => ({ core, admin } = await engine.coreWithAdmin()));
  afterEach(() => core.cleanup());

  /** Collects what an export writes. */
  function sink(): { stream: PassThrough; text: () => string } {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
  }

  const allEvents = async (): Promise<AuditEvent[]> => {
    const rows: AuditEvent[] = [];
    for (let before: number | undefined; ; ) {
      const page = await core.log.search(admin, { limit: 500, before });
      rows.push(...page.rows);
      if (page.nextCursor === null) return rows;
      before = page.nextCursor;
    }
  };

  describe('CSV', () => {
    test('an API user named like a formula exports inert, and every row matches the log', async () => {
      const user = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: '=cmd|\'/c calc\'!A1', description: 'x' }));
      await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Say "hello", then leave' }));
      const out = sink();
      const outcome = await exportAuditLog(core.deps, {}, 'csv', out.stream);
      const text = out.text();
      expect(text.startsWith('\uFEFFid,time,actor_kind,actor,type,target_user_id,target,outcome,reason,source_ip,details\r\n')).toBe(true);
      const rows = parseCsv(text.slice(1));
      const events = await allEvents();
      expect(outcome).toEqual({ written: events.length, total: events.length, cancelled: false });
      expect(rows).toHaveLength(events.length + 1);
      const created = rows.find((r) => r[4] === 'user.created' && r[5] === String(user.user.id))!;
      expect(created[6]).toBe('\'=cmd|\'/c calc\'!A1');
      expect(rows.find((r) => r[6]?.startsWith('Say'))![6]).toBe('Say "hello", then leave');
      expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(events.map((e) => e.id));
      expect(rows[1]![1]).toBe(new Date(events[0]!.at).toISOString());
    });
  });

  describe('JSON Lines', () => {
    test('round trip: each line parses back to the event log.search returns, newest first', async () => {
      await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'ERP', allowlist: ['10.0.0.0/8'] }));
      await seedEventsOn(core.deps.store, { count: 50, end: core.clock.now(), spanMs: 0 });
      const out = sink();
      await exportAuditLog(core.deps, {}, 'jsonl', out.stream);
      const lines = out.text().trimEnd().split('\n').map((l) => JSON.parse(l) as AuditEvent);
      expect(lines).toEqual(await allEvents());
    });

    test('the filters of the log view apply', async () => {
      await seedEventsOn(core.deps.store, { count: 200, end: core.clock.now(), spanMs: 86_400_000 });
      const out = sink();
      const filters = { type: 'token.denied' as const, targetUserId: 2 };
      const outcome = await exportAuditLog(core.deps, filters, 'jsonl', out.stream);
      const ids = out.text().trimEnd().split('\n').map((l) => (JSON.parse(l) as AuditEvent).id);
      expect(ids).toEqual((await core.log.search(admin, { ...filters, limit: 500 })).rows.map((e) => e.id));
      expect(outcome.total).toBe(ids.length);
      expect(ids.length).toBeGreaterThan(10);
    });
  });

  describe('paging, progress and cancellation', () => {
    beforeEach(() => seedEventsOn(core.deps.store, { count: 2 * EXPORT_PAGE_SIZE + 123, end: core.clock.now(), spanMs: 86_400_000 }));

    test('progress after every page, up to the total', async () => {
      const progress: [number, number][] = [];
      const out = sink();
      await exportAuditLog(core.deps, {}, 'jsonl', out.stream, { onProgress: (w, t) => progress.push([w, t]) });
      const total = 2 * EXPORT_PAGE_SIZE + 124;
      expect(progress).toEqual([[0, total], [EXPORT_PAGE_SIZE, total], [2 * EXPORT_PAGE_SIZE, total], [total, total]]);
      expect(new Set(out.text().trimEnd().split('\n').map((l) => (JSON.parse(l) as AuditEvent).id)).size).toBe(total);
    });

    test('cancelled between pages', async () => {
      const abort = new AbortController();
      const out = sink();
      const outcome = await exportAuditLog(core.deps, {}, 'csv', out.stream, {
        signal: abort.signal,
        onProgress: (written) => written >= EXPORT_PAGE_SIZE && abort.abort(),
      });
      expect(outcome).toMatchObject({ written: EXPORT_PAGE_SIZE, cancelled: true });
    });

    test('waits for a slow reader (backpressure) instead of buffering everything', async () => {
      const slow = new PassThrough({ highWaterMark: 1024 });
      let maxBuffered = 0;
      const done = exportAuditLog(core.deps, {}, 'jsonl', slow, { onProgress: () => (maxBuffered = Math.max(maxBuffered, slow.writableLength)) });
      let bytes = 0;
      slow.on('data', (c: Buffer) => (bytes += c.length));
      await done;
      // At most about one page is ever waiting in the stream.
      expect(maxBuffered).toBeLessThan(2 * 1024 * 1024);
      expect(bytes).toBeGreaterThan(1024 * 1024);
    });
  });

  describe('export jobs (log.export, log.exportStatus, log.exportCancel)', () => {
    test('saves where the SaveStream says, owner-only, atomically, and logs the export', async () => {
      await seedEventsOn(core.deps.store, { count: 300, end: core.clock.now(), spanMs: 3_600_000 });
      const file = join(tempDir(), 'log.csv');
      const jobs = new LogExportJobs(core.deps, fixedPathSaveStream(file));
      const started = (await jobs.start(admin, { format: 'csv', outcome: 'failure' })) as Extract<LogExportStarted, { started: true }>;
      expect(started).toMatchObject({ started: true, fileName: 'log.csv', total: (await core.log.search(admin, { outcome: 'failure', limit: 500 })).rows.length });
      const status = await jobs.wait(started.jobId);
      expect(status).toMatchObject({ done: true, cancelled: false, error: null, written: started.total, total: started.total, format: 'csv' });
      expect(await jobs.status(admin, { jobId: started.jobId })).toEqual(status);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(dirname(file))).toEqual(['log.csv']); // no temp file left
      const event = (await core.log.search(admin, { type: 'log.exported', limit: 1 })).rows[0]!;
      expect(event).toMatchObject({ outcome: 'success', actorName: 'alice' });
      expect(event.details).toMatchObject({ format: 'csv', file: 'log.csv', written: started.total, filters: { outcome: 'failure' } });
    });

    test('a cancelled export leaves no file and is logged as such', async () => {
      // Cancelled before its first page is read (the job answers before reading): on SQLite any log will do.
      // On PostgreSQL the cancel's own permission check takes round trips while the export reads on, so
      // there the log is three pages long: the cancel lands long before the last page.
      const count = engine.name === 'postgres' ? 2 * EXPORT_PAGE_SIZE + 100 : 100;
      await seedEventsOn(core.deps.store, { count, end: core.clock.now(), spanMs: 3_600_000 });
      const file = join(tempDir(), 'log.jsonl');
      const jobs = new LogExportJobs(core.deps, fixedPathSaveStream(file));
      const started = (await jobs.start(admin, { format: 'jsonl' })) as Extract<LogExportStarted, { started: true }>;
      expect((await jobs.cancel(admin, { jobId: started.jobId })).done).toBe(false);
      const status = await jobs.wait(started.jobId);
      expect(status).toMatchObject({ done: true, cancelled: true });
      expect(status.written).toBeLessThan(status.total);
      expect(existsSync(file)).toBe(false);
      expect(readdirSync(dirname(file))).toEqual([]);
      expect((await core.log.search(admin, { type: 'log.exported', limit: 1 })).rows[0]).toMatchObject({ outcome: 'failure', reason: 'cancelled' });
    });

    test('the admin closing the save dialog starts nothing; unknown jobs and missing permission are refused', async () => {
      const jobs = new LogExportJobs(core.deps, () => Promise.resolve({ saved: false }));
      expect(await jobs.start(admin, { format: 'csv' })).toEqual({ started: false });
      await expect(async () => jobs.status(admin, { jobId: '0'.repeat(32) })).rejects.toThrow(/No such export/);
      await expect(async () => jobs.status(admin, parseInputOf('log.exportStatus', { jobId: 'nope' }))).rejects.toThrow(/jobId: Unknown export/);
      const bob = await powerlessPerson(core, admin);
      await expect(jobs.start(bob, { format: 'csv' })).rejects.toThrow(ForbiddenError);
      await expect(inPromise(() => jobs.start(admin, parseInputOf('log.export', { format: 'xml' })))).rejects.toThrow(/format: Format must be csv or jsonl/);
    });

    test('through the handlers: without a SaveStream the file goes to the data folder\'s exports', async () => {
      const ctx: CallContext = { session: memorySessionSlot() };
      ctx.session.set(await core.auth.login({ name: 'alice', password: 'correct horse battery' }));
      const handlers = createLogHandlers(core, personActor(core));
      const started = (await handlers['log.export']({ format: 'jsonl' }, ctx)) as Extract<LogExportStarted, { started: true }>;
      expect(started.started).toBe(true);
      let status = await handlers['log.exportStatus']({ jobId: started.jobId }, ctx);
      for (let i = 0; !status.done && i < 200; i++) {
        await new Promise((r) => setTimeout(r, 10));
        status = await handlers['log.exportStatus']({ jobId: started.jobId }, ctx);
      }
      expect(status.done).toBe(true);
      const saved = join(core.dataDir, 'exports', started.fileName);
      expect(readFileSync(saved, 'utf8').trimEnd().split('\n').length).toBe(status.written);
    });
  });

  test('keyrack log export writes the file with a progress line on stderr; filters apply; bad format is refused', async () => {
    await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'ERP' }));
    const out = join(tempDir(), 'log.jsonl');
    const run = await keyrack(core.dataDir, ['log', 'export', '--format', 'jsonl', '--type', 'user.created', '--out', out], '', { env: core.cliEnv });
    expect(run).toMatchObject({ code: 0, stdout: `Wrote 1 events to ${out}.\n` });
    expect(run.stderr).toContain('exported 1 / 1 events');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ type: 'user.created', targetName: 'ERP' });
    const bad = await keyrack(core.dataDir, ['log', 'export', '--format', 'xml', '--out', out], '', { env: core.cliEnv });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/csv or jsonl/);
  });
});
