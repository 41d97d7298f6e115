import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openCore } from '../../electron/core.js';
import { chainHash, type ChainedRow } from '../../electron/crypto/audit-chain.js';
import { encodeCheckpoint, parseCheckpoint, signCheckpoint } from '../../electron/crypto/audit-checkpoint.js';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { readStoredCheckpoint } from '../../electron/repos/audit-checkpoint.repo.js';
import { CHECKPOINT_FILE, updateCheckpointFile } from '../../electron/services/audit-anchor.js';
import { cliActor } from '../../electron/services/context.js';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';
import { parseInputOf } from '../../shared/contract.js';

let data: string;
beforeEach(async () => {
  data = tempDir('keyrack-checkpoint-');
  expect((await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n')).code).toBe(0);
  for (const name of ['erp', 'crm', 'shop', 'web']) expect((await keyrack(data, ['api-users', 'create', '--name', name])).code).toBe(0);
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

/** The intruder: raw SQL on the store file, append-only triggers dropped. No master key. */
function intruder<T>(work: (db: Database.Database) => T): T {
  const db = new Database(join(data, DATABASE_FILE));
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
    return work(db);
  } finally {
    db.close();
  }
}

const lastId = (db: Database.Database) => (db.prepare('SELECT max(id) AS n FROM audit_events').get() as { n: number }).n;

/** Edits event `id` and recomputes every hash from it on, with the same public function the app uses. */
function rewriteFrom(db: Database.Database, id: number, edit: string): void {
  db.prepare(`UPDATE audit_events SET ${edit} WHERE id = ?`).run(id);
  let prev = (db.prepare('SELECT hash FROM audit_events WHERE id = ?').get(id - 1) as { hash: Buffer }).hash;
  const rows = db.prepare('SELECT * FROM audit_events WHERE id >= ? ORDER BY id').all(id) as (ChainedRow & { hash: Buffer })[];
  for (const row of rows) {
    const hash = chainHash(prev, row);
    db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, row.id);
    prev = hash;
  }
}

describe('keyrack log verify checks the head against its signed checkpoint', () => {
  test('an untouched log: intact and anchored at its newest event, in the store and beside it', async () => {
    const head = intruder(lastId);
    const run = await keyrack(data, ['log', 'verify']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^The log is intact: ${head} events verified\\.\\nThe head is anchored: the signed checkpoint of event ${head} \\(.+\\) matches\\.\\n$`));
    // verify's own event moved it on, and the CLI's close copied that beside the store.
    expect(parseCheckpoint(readFileSync(join(data, CHECKPOINT_FILE), 'utf8'))).toMatchObject({ id: head + 1 });
  });

  test('the newest events deleted: the chain alone says intact, the checkpoint names the missing tail', async () => {
    const head = intruder(lastId);
    intruder((db) => db.prepare('DELETE FROM audit_events WHERE id > ?').run(head - 3));
    const run = await keyrack(data, ['log', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      `The log is intact: ${head - 3} events verified.`,
      `TAMPERED: the log's tail is missing: a signed checkpoint (store) vouches for events up to ${head}, but the log ends at event ${head - 3} (3 newest events removed).`,
      '',
    ]);
    // verify's own event moved the store's copy to the cut log's head; the file beside it never goes back.
    const again = await keyrack(data, ['log', 'verify', '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({
      firstProblem: null,
      checkpoint: { verdict: 'missing_tail', checkpoint: { id: head, source: 'file' }, headId: head - 2 },
    });
  });

  test('an event edited and every hash after it recomputed: the chain alone says intact, the checkpoint does not', async () => {
    const head = intruder(lastId);
    intruder((db) => rewriteFrom(db, 5, `actor_name = 'mallory'`));
    const run = await keyrack(data, ['log', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      `The log is intact: ${head} events verified.`,
      'TAMPERED: the chain was rewritten: an event no longer has the hash its signed checkpoint recorded ' +
        '(events were edited and every hash after them recomputed).',
      '',
    ]);
  });

  test('a checkpoint recomputed without the key is forged; with the file gone it is all the log has, and still fails', async () => {
    intruder((db) => {
      rewriteFrom(db, 5, `actor_name = 'mallory'`);
      const head = db.prepare('SELECT id, at, hash FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; at: number; hash: Buffer };
      const forged = encodeCheckpoint(signCheckpoint(randomBytes(32), head));
      db.prepare(`UPDATE settings SET value = ? WHERE key = 'audit.checkpoint'`).run(forged);
    });
    rmSync(join(data, CHECKPOINT_FILE));
    const run = await keyrack(data, ['log', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("TAMPERED: forged checkpoint: the checkpoint in the store was not signed with this store's key.");
  });

  test('both checkpoints removed while the key stays: named as removed', async () => {
    intruder((db) => db.prepare(`DELETE FROM settings WHERE key = 'audit.checkpoint'`).run());
    rmSync(join(data, CHECKPOINT_FILE));
    const run = await keyrack(data, ['log', 'verify', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ checkpoint: { verdict: 'checkpoint_removed' } });
  });

  test('the store rolled back alone (an older copy of keyrack.db): the file beside it is ahead, the tail is missing', async () => {
    const old = readFileSync(join(data, DATABASE_FILE));
    for (const name of ['a', 'b']) expect((await keyrack(data, ['api-users', 'create', '--name', name])).code).toBe(0);
    const head = intruder(lastId);
    writeFileSync(join(data, DATABASE_FILE), old);
    rmSync(join(data, `${DATABASE_FILE}-wal`), { force: true });
    rmSync(join(data, `${DATABASE_FILE}-shm`), { force: true });
    const run = await keyrack(data, ['log', 'verify', '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ checkpoint: { verdict: 'missing_tail', checkpoint: { id: head, source: 'file' } } });
  });
});

describe('checkpoints follow every append of a process that holds the key', () => {
  test('events written without the key (no wrapper) are not signed; the next keyed process covers them', async () => {
    const before = new Database(join(data, DATABASE_FILE), { readonly: true });
    const keyed = readStoredCheckpoint(before);
    before.close();
    const plain = openCore({ dataDir: data });
    await plain.users.createApiUser(cliActor('tester'), parseInputOf('users.createApiUser', { name: 'nokey' }));
    plain.close();
    const after = new Database(join(data, DATABASE_FILE), { readonly: true });
    expect(readStoredCheckpoint(after)).toEqual(keyed); // not moved
    after.close();
    const run = await keyrack(data, ['log', 'verify']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/The head is anchored: .* 2 newer events were written without the checkpoint key \(chain only\)\./);
  });

  test('an event appended through the Store port (the policy service) is chained and signed like the others', async () => {
    expect((await keyrack(data, ['policy', 'set', '--require-allowlist', 'on'])).code).toBe(0);
    const head = intruder((db) => {
      const row = db.prepare('SELECT id, type FROM audit_events ORDER BY id DESC LIMIT 1').get() as { id: number; type: string };
      expect(row.type).toBe('settings.changed');
      expect(readStoredCheckpoint(db)).toMatchObject({ id: row.id });
      return row.id;
    });
    const run = await keyrack(data, ['log', 'verify']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^The log is intact: ${head} events verified\\.\\nThe head is anchored: the signed checkpoint of event ${head} \\(.+\\) matches\\.\\n$`));
  });

  test('a process whose key wrapper cannot open the key says so and is not a failure', async () => {
    const core = openCore({ dataDir: data, keyWrapper: () => aesGcmKeyWrapper(randomBytes(32), 'another master key') });
    try {
      expect(core.checkpointKey).toMatchObject({ state: 'unavailable' });
      const report = await core.log.verify(cliActor('tester'));
      expect(report.checkpoint).toMatchObject({ verdict: 'no_key' });
    } finally {
      core.close();
    }
  });

  test('the file beside the store is replaced only by a newer authentic checkpoint', async () => {
    const key = randomBytes(32);
    const core = openCore({ dataDir: tempDir(), keyWrapper: () => aesGcmKeyWrapper(key, 'k') });
    try {
      expect(core.checkpointKey).toMatchObject({ state: 'held', created: true });
      await core.users.createApiUser(cliActor('tester'), parseInputOf('users.createApiUser', { name: 'one' }));
      const held = (core.checkpointKey as { key: Buffer }).key;
      expect(updateCheckpointFile(core.dataDir, core.db, held)).toBe(true);
      expect(updateCheckpointFile(core.dataDir, core.db, held)).toBe(false); // same head: no write, no fsync
      const file = readFileSync(join(core.dataDir, CHECKPOINT_FILE), 'utf8');
      // The store's copy moved back (rolled back by hand): the file keeps the newer one.
      const stored = readStoredCheckpoint(core.db);
      if (!stored || stored === 'damaged') throw new Error('no checkpoint');
      core.db.prepare(`UPDATE settings SET value = ? WHERE key = 'audit.checkpoint'`).run(encodeCheckpoint(signCheckpoint(held, { ...stored, id: stored.id - 1 })));
      expect(updateCheckpointFile(core.dataDir, core.db, held)).toBe(false);
      expect(readFileSync(join(core.dataDir, CHECKPOINT_FILE), 'utf8')).toBe(file);
    } finally {
      core.close();
      rmSync(core.dataDir, { recursive: true, force: true });
    }
  });
});
