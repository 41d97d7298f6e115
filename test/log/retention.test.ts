import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { storeWithHistory } from './seed-events.js';
import { verifyAuditChain } from '../../electron/repos/audit.repo.js';
import type { Actor } from '../../electron/services/context.js';
import { ARCHIVE_FOLDER, verifyArchive } from '../../electron/services/log-archive.js';
import { RetentionService } from '../../electron/services/retention.js';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError } from '../../shared/errors.js';
import { keyrack } from '../support/cli.js';
import type { TestCore } from '../support/core.js';
import { countRows, powerlessPerson } from '../support/fixtures.js';

/*
 * SQLite only, on purpose: most of these tests reach into the SQLite connection (temporary triggers that
 * fail a prune half way or note its transactions, a user function, dropping the append-only triggers to
 * tamper, the connection's chain walker) or run the CLI, which opens the SQLite file. Retention's service
 * on PostgreSQL is covered by retention-settings.test.ts (its settings, the count due and the prune, on both
 * engines) and by index-prune-store.test.ts (the prune chunk and the index catch-up on both engines).
 */
const DAY = 86_400_000;
let core: TestCore;
let admin: Actor;
let retention: RetentionService;
let t0: number;

beforeEach(async () => {
  // 100 days of log after the setup event, then "now" is the end of it.
  ({ core, admin, retention, t0 } = await storeWithHistory({ count: 400, days: 100 }));
  core.clock.set(t0 + 100 * DAY + 3_600_000);
});
afterEach(() => core.cleanup());

const olderThan = (at: number) => (core.db.prepare('SELECT count(*) AS n FROM audit_events WHERE at < ?').get(at) as { n: number }).n;
const archives = () => readdirSync(join(core.dataDir, ARCHIVE_FOLDER)).filter((f) => f.endsWith('.jsonl.gz')).sort().map((f) => join(core.dataDir, ARCHIVE_FOLDER, f));
const firstId = () => (core.db.prepare('SELECT min(id) AS id FROM audit_events').get() as { id: number }).id;

/** Rewrites an archive's JSON Lines through `edit` (what someone with the file can do). */
function editArchive(file: string, edit: (lines: string[]) => string[]) {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
  writeFileSync(file, gzipSync(`${edit(lines).join('\n')}\n`));
}

describe('retention', () => {
  test('keeps everything by default: a prune removes nothing', async () => {
    expect(await retention.get(admin)).toEqual({ keepDays: null, lastPrune: null, archiveFolder: join(core.dataDir, ARCHIVE_FOLDER), due: null });
    expect(await retention.prune(admin)).toMatchObject({ removed: 0, archiveFile: null });
    expect(countRows(core, 'audit_events')).toBe(401);
  });

  test('archives, then removes, the events older than the period; the archive and the log verify together', async () => {
    await retention.set(admin, { keepDays: 30 });
    const expected = olderThan(core.clock.now() - 30 * DAY);
    expect(expected).toBeGreaterThan(250);
    const result = await retention.prune(admin);
    expect(result).toMatchObject({ removed: expected, firstId: 1, lastId: expected });
    expect(archives()).toEqual([result.archiveFile]);
    expect(olderThan(core.clock.now() - 30 * DAY)).toBe(0);
    expect(firstId()).toBe(expected + 1);
    expect(countRows(core, 'audit_prune_authorization')).toBe(0);

    // The archive: a header with the boundary hashes, then every removed event with its hashes.
    const lines = gunzipSync(readFileSync(result.archiveFile!)).toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'keyrack-audit-archive', firstId: 1, lastId: expected, count: expected, prevHash: '0'.repeat(64), lastHash: result.lastHash });
    expect(lines).toHaveLength(expected + 1);
    expect(JSON.parse(lines[1]!)).toMatchObject({ id: 1, type: 'setup.completed', actor_name: 'alice' });

    // The remaining log verifies from the anchor, and again from the archive's own last hash.
    expect((await core.log.verify(admin)).firstProblem).toBeNull();
    const across = await core.log.verifyWithArchives(admin, archives());
    expect(across).toMatchObject({ ok: true, anchorMismatch: false, archives: [{ checked: expected, problem: null }] });

    // The prune itself is in the log, after the boundary, and new events keep chaining.
    expect((await core.log.search(admin, { type: 'log.pruned', limit: 1 })).rows[0]!.details).toMatchObject({ purpose: 'retention', removed: expected });
    await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'After' }));
    expect(verifyAuditChain(core.db).firstProblem).toBeNull();
    expect((await retention.get(admin)).lastPrune).toMatchObject({ removed: expected });
  });

  test('removes in short transactions (the store is never held long), with the same outcome as one', async () => {
    const chunked = new RetentionService(core.deps, core.dataDir, 25);
    await retention.set(admin, { keepDays: 30 });
    const expected = olderThan(core.clock.now() - 30 * DAY);
    const transactions: number[] = [];
    core.db.function('note_prune', (through: number) => (transactions.push(through), 0));
    for (const change of ['INSERT', 'UPDATE']) {
      core.db.exec(`CREATE TEMP TRIGGER note_anchor_${change} AFTER ${change} ON settings WHEN new.key = 'audit.chain_anchor'
        BEGIN SELECT note_prune(json_extract(new.value, '$.id')); END`);
    }
    const result = await chunked.prune(admin);
    expect(result).toMatchObject({ removed: expected, firstId: 1, lastId: expected });
    expect(transactions.length).toBe(Math.ceil(expected / 25)); // each moved the anchor in its own transaction
    expect(transactions.at(-1)).toBe(expected);
    expect(archives()).toEqual([result.archiveFile]);
    expect(await core.log.verifyWithArchives(admin, archives())).toMatchObject({ ok: true, anchorMismatch: false });
    expect((await core.log.search(admin, parseInputOf('log.search', { type: 'log.pruned' }))).rows).toHaveLength(1);
    expect(core.db.prepare(`SELECT key FROM settings WHERE key = 'log.prune_in_progress'`).all()).toEqual([]);
  });

  test('a prune cut short is finished by the next one, from the archive it wrote', async () => {
    const chunked = new RetentionService(core.deps, core.dataDir, 25);
    await retention.set(admin, { keepDays: 30 });
    const expected = olderThan(core.clock.now() - 30 * DAY);
    // The third chunk fails, as on a full disk: two chunks are gone, the rest is still in the log.
    core.db.exec(`CREATE TEMP TRIGGER disk_full BEFORE DELETE ON audit_events WHEN old.id = 60 BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    await expect(chunked.prune(admin)).rejects.toThrow('disk full');
    expect(firstId()).toBe(51);
    const [archive] = archives();
    // Meanwhile the archive reaches past the anchor: verification says so instead of passing.
    expect(await core.log.verifyWithArchives(admin, archives())).toMatchObject({ ok: false, anchorMismatch: true });

    core.db.exec('DROP TRIGGER disk_full');
    const result = await chunked.prune(admin);
    expect(result).toMatchObject({ removed: expected, firstId: 1, lastId: expected, archiveFile: archive });
    expect(archives()).toEqual([archive]);
    expect(await core.log.verifyWithArchives(admin, archives())).toMatchObject({ ok: true, anchorMismatch: false });
    expect((await core.log.search(admin, parseInputOf('log.search', { type: 'log.pruned' }))).rows).toHaveLength(1);
    expect((await retention.get(admin)).lastPrune).toMatchObject({ removed: expected, archiveFile: archive });
  });

  test('pruned events leave the full-text index and the time range search', async () => {
    await retention.set(admin, { keepDays: 30 });
    expect((await core.log.search(admin, parseInputOf('log.search', { text: 'setup.completed' }))).rows).toHaveLength(1);
    await retention.prune(admin);
    expect((await core.log.search(admin, parseInputOf('log.search', { text: 'setup.completed' }))).rows).toEqual([]);
    expect((await core.log.search(admin, parseInputOf('log.search', { until: t0 + 10 * DAY }))).rows).toEqual([]);
  });

  test('consecutive archives join up; a missing one, or a log that does not start at the last, is found', async () => {
    await retention.set(admin, { keepDays: 60 });
    const first = await retention.prune(admin);
    core.clock.advance(20 * DAY);
    const second = await retention.prune(admin);
    expect(second.firstId).toBe(first.lastId! + 1);
    expect(await core.log.verifyWithArchives(admin, [second.archiveFile!, first.archiveFile!])).toMatchObject({ ok: true });
    // Only the older archive: the log does not start where it ends.
    expect(await core.log.verifyWithArchives(admin, [first.archiveFile!])).toMatchObject({ ok: false, anchorMismatch: true });

    core.clock.advance(20 * DAY);
    const third = await retention.prune(admin);
    // The middle one missing: the third does not follow the first.
    const gap = await core.log.verifyWithArchives(admin, [first.archiveFile!, third.archiveFile!]);
    expect(gap.ok).toBe(false);
    expect(gap.archives[1]!.problem).toEqual({ id: third.firstId, problem: 'not_contiguous' });
  });

  describe('a tampered archive is found', () => {
    let file: string;
    let lastId: number;
    beforeEach(async () => {
      await retention.set(admin, { keepDays: 30 });
      const result = await retention.prune(admin);
      file = result.archiveFile!;
      lastId = result.lastId!;
    });

    test('an edited event', async () => {
      editArchive(file, (lines) => lines.map((l, i) => (i === 10 ? l.replace('"outcome":"failure"', '"outcome":"success"').replace(/"actor_name":"[^"]*"/, '"actor_name":"mallory"') : l)));
      expect((await verifyArchive(file)).problem).toEqual({ id: 10, problem: 'edited' });
      const across = await core.log.verifyWithArchives(admin, [file]);
      expect(across.ok).toBe(false);
      expect((await core.log.search(admin, { type: 'log.verified', limit: 1 })).rows[0]).toMatchObject({ outcome: 'failure', reason: 'edited' });
    });

    test('a removed event', async () => {
      editArchive(file, (lines) => lines.filter((_, i) => i !== 20));
      expect((await verifyArchive(file)).problem).toEqual({ id: 21, problem: 'broken_link' });
    });

    test('two events swapped', async () => {
      editArchive(file, (lines) => lines.map((l, i) => (i === 30 ? lines[31]! : i === 31 ? lines[30]! : l)));
      expect((await verifyArchive(file)).problem).toEqual({ id: 31, problem: 'broken_link' });
    });

    test('the last events cut off', async () => {
      editArchive(file, (lines) => lines.slice(0, -5));
      expect((await verifyArchive(file)).problem).toEqual({ id: lastId - 4, problem: 'truncated' });
    });

    test('a damaged file', async () => {
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length - 40));
      expect((await verifyArchive(file)).problem?.problem).toBe('truncated');
    });

    test('the log\'s first remaining event removed behind the archive\'s back', async () => {
      core.db.exec('DROP TRIGGER audit_events_no_delete');
      core.db.prepare('DELETE FROM audit_events WHERE id = ?').run(lastId + 1);
      const across = await core.log.verifyWithArchives(admin, [file]);
      expect(across.log!.firstProblem).toEqual({ id: lastId + 2, problem: 'broken_link', previousId: lastId });
    });
  });

  test('the log stays append-only outside the prune path', () => {
    expect(() => core.db.prepare('DELETE FROM audit_events WHERE id = 1').run()).toThrow(/append-only/);
    // An authorisation covers the ids it names and no others.
    expect(() =>
      core.db.transaction(() => {
        core.db.prepare('INSERT INTO audit_prune_authorization (through_id) VALUES (5)').run();
        core.db.prepare('DELETE FROM audit_events WHERE id <= 5').run();
        core.db.prepare('DELETE FROM audit_events WHERE id = 10').run();
      })(),
    ).toThrow(/append-only/);
    expect(countRows(core, 'audit_events')).toBe(401);
    expect(() => core.db.prepare('UPDATE audit_events SET reason = NULL WHERE id = 1').run()).toThrow(/append-only/);
  });

  test('refuses to prune events that no longer verify, and removes nothing', async () => {
    core.db.exec('DROP TRIGGER audit_events_no_update');
    core.db.prepare(`UPDATE audit_events SET actor_name = 'mallory' WHERE id = 7`).run();
    await retention.set(admin, { keepDays: 30 });
    await expect(retention.prune(admin)).rejects.toThrow(ConflictError);
    expect(firstId()).toBe(1);
    expect(archives()).toEqual([]);
  });

  test('changing retention or pruning needs server.manage; the change is logged', async () => {
    const bob = await powerlessPerson(core, admin);
    await expect(async () => retention.set(bob, { keepDays: 1 })).rejects.toThrow(ForbiddenError);
    await expect(retention.prune(bob)).rejects.toThrow(ForbiddenError);
    await expect(async () => retention.set(admin, parseInputOf('log.setRetention', { keepDays: 0 }))).rejects.toThrow(/keepDays: Keep at least one day/);
    await retention.set(admin, { keepDays: 90 });
    expect((await core.log.search(admin, { type: 'settings.changed', limit: 1 })).rows[0]!.details).toEqual({ setting: 'log.retention', from: null, to: 90 });
  });
});

describe('keyrack log retention / prune / verify --archive', () => {
  test('set, prune, verify across the archive; a tampered archive exits 1', async () => {
    const data = core.dataDir;
    core.close();
    // The CLI runs on the real clock, a year after the test clock's events: everything is old.
    expect((await keyrack(data, ['log', 'retention'])).stdout).toMatch(/Keeps:\s+everything/);
    expect((await keyrack(data, ['log', 'retention', '--keep-days', '30'])).stdout).toMatch(/Keeps:\s+30 days/);
    const pruned = await keyrack(data, ['log', 'prune', '--json']);
    expect(pruned.code).toBe(0);
    const { archiveFile, removed } = JSON.parse(pruned.stdout) as { archiveFile: string; removed: number };
    expect(removed).toBeGreaterThan(400);
    const ok = await keyrack(data, ['log', 'verify', '--archive', archiveFile]);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringMatching(/archives and the log are intact/) });
    editArchive(archiveFile, (lines) => lines.map((l, i) => (i === 3 ? l.replace(/"at":\d+/, '"at":1') : l)));
    const bad = await keyrack(data, ['log', 'verify', '--archive', archiveFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('TAMPERED: archive');
    expect((await keyrack(data, ['log', 'retention', '--keep-days', '30', '--keep-all'])).code).toBe(2);
  });
});
