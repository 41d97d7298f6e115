import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { migrate } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { verifyAuditChain, verifyAuditChainInSteps } from '../../electron/repos/audit.repo.js';
import type { Actor } from '../../electron/services/context.js';
import { coreWithAdmin, tempDir, type TestCore } from '../support/core.js';
import { keyrack } from '../support/cli.js';
import { parseInputOf } from '../../shared/contract.js';

let core: TestCore;
let admin: Actor;
beforeEach(async () => {
  ({ core, admin } = await coreWithAdmin());
  for (const name of ['A', 'B', 'C', 'D']) await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name })); // 8 more events
});
afterEach(() => core.cleanup());

/** What an attacker with the database file can do: lift the append-only triggers, then change rows. */
function tamper(sql: string, ...params: unknown[]) {
  core.db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
  core.db.prepare(sql).run(...params);
}

describe('the hash chain names the first tampered event', async () => {
  test('a clean chain verifies', async () => {
    // Opened without a key wrapper: the chain is checked, the head is not anchored (test/log/checkpoint.test.ts).
    expect(await core.log.verify(admin)).toMatchObject({ checked: 9, firstProblem: null, checkpoint: { verdict: 'not_anchored' } });
    expect((await core.log.search(admin, { limit: 1 })).rows[0]).toMatchObject({ type: 'log.verified', outcome: 'success' });
    expect((await core.log.verify(admin)).checked).toBe(10); // its own event joined the chain, correctly linked
  });

  test('an edited event', () => {
    tamper(`UPDATE audit_events SET actor_name = 'mallory' WHERE id = 5`);
    expect(verifyAuditChain(core.db).firstProblem).toEqual({ id: 5, problem: 'edited', previousId: 4 });
  });

  test('an edit that also recomputes that row\'s own hash still breaks the next link', async () => {
    const { chainHash } = await import('../../electron/crypto/audit-chain.js');
    tamper(`UPDATE audit_events SET reason = 'innocent' WHERE id = 5`);
    const row = core.db.prepare('SELECT * FROM audit_events WHERE id = 5').get() as Parameters<typeof chainHash>[1] & { prev_hash: Buffer };
    core.db.prepare('UPDATE audit_events SET hash = ? WHERE id = 5').run(chainHash(row.prev_hash, row));
    expect(verifyAuditChain(core.db).firstProblem).toEqual({ id: 6, problem: 'broken_link', previousId: 5 });
  });

  test('a deleted event', () => {
    tamper('DELETE FROM audit_events WHERE id = 3');
    expect(verifyAuditChain(core.db).firstProblem).toEqual({ id: 4, problem: 'broken_link', previousId: 2 });
  });

  test('two events swapped', () => {
    core.db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
    core.db.transaction(() => {
      core.db.prepare('UPDATE audit_events SET id = -1 WHERE id = 4').run();
      core.db.prepare('UPDATE audit_events SET id = 4 WHERE id = 6').run();
      core.db.prepare('UPDATE audit_events SET id = 6 WHERE id = -1').run();
    })();
    expect(verifyAuditChain(core.db).firstProblem).toEqual({ id: 4, problem: 'edited', previousId: 3 });
  });

  test('keyrack log verify reports it and exits 1', async () => {
    tamper(`UPDATE audit_events SET outcome = 'failure' WHERE id = 7`);
    const run = await keyrack(core.dataDir, ['log', 'verify']);
    expect(run.code).toBe(1);
    // The CLI holds the master key: its open anchored the head as it found it, which the chain still fails.
    expect(run.stdout).toMatch(/^TAMPERED: event 7 was edited \(its content no longer matches its hash\)\.\nThe head is anchored: .*\n$/);
    const fresh = tempDir();
    await keyrack(fresh, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
    const clean = await keyrack(fresh, ['log', 'verify']);
    expect(clean).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^The log is intact: \d+ events verified\.\nThe head is anchored: the signed checkpoint of event \d+ .*\n$/),
    });
  });
});

describe('the stepped walk (the Log page\'s button) finds the same problems across page boundaries', () => {
  const stepped = () => verifyAuditChainInSteps(core.deps.store, undefined, undefined, 2);

  test('clean, edited, deleted, first event deleted', async () => {
    expect(await stepped()).toEqual({ checked: 9, firstProblem: null });
    expect(await core.log.verifyResult(admin)).toEqual({
      ok: true,
      checked: 9,
      firstProblem: null,
      anchorId: null,
      checkpoint: { verdict: 'not_anchored', id: null, at: null, headId: 9, uncovered: 0 },
    });
    tamper(`UPDATE audit_events SET actor_name = 'mallory' WHERE id = 6`);
    expect((await stepped()).firstProblem).toEqual({ id: 6, problem: 'edited', previousId: 5 });
    core.db.prepare('DELETE FROM audit_events WHERE id >= 6').run();
    core.db.prepare('DELETE FROM audit_events WHERE id = 3').run();
    expect((await stepped()).firstProblem).toEqual({ id: 4, problem: 'broken_link', previousId: 2 });
    core.db.prepare('DELETE FROM audit_events WHERE id = 1').run();
    expect((await stepped()).firstProblem).toEqual({ id: 2, problem: 'broken_link', previousId: null });
    expect(await core.log.verifyResult(admin)).toMatchObject({ ok: false, checked: 0, firstProblem: { id: 2 } });
  });
});

test('the chain migration chains events written before it, in order', () => {
  const db = new Database(join(tempDir(), 'old.db'));
  migrate(db, migrations.filter((m) => m.version < 50));
  const insert = db.prepare(
    `INSERT INTO audit_events (at, actor_kind, actor_name, type, outcome) VALUES (?, 'system', 'system', 'user.created', 'success')`,
  );
  // More than one migration batch; one transaction, not 2500 fsyncs.
  db.transaction(() => {
    for (let i = 0; i < 2500; i++) insert.run(i);
  })();
  migrate(db, migrations);
  expect(verifyAuditChain(db)).toEqual({ checked: 2500, firstProblem: null });
  expect(db.prepare('SELECT count(*) AS n FROM audit_events').get()).toEqual({ n: 2500 });
  expect(() => db.prepare(`UPDATE audit_events SET at = 0`).run()).toThrow(/append-only/);
  db.close();
});

