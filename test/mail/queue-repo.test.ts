import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { migratePostgres } from '../../electron/db/postgres-migrate.js';
import type { Store } from '../../electron/db/store.js';
import { postgresStore } from '../../electron/db/store-postgres.js';
import { sqliteStore } from '../../electron/db/store-sqlite.js';
import {
  claimDueMessage, countAcceptedSince, deleteQueuedMessage, findQueueEntry, insertQueuedMessage, listQueueEntries, markDeferred, markFailed,
  markSent, queueCountsByMailbox, releaseClaimsOf, requeueMessage,
} from '../../electron/repos/mail-queue.repo.js';
import { findMailSettings, saveMailSettings } from '../../electron/repos/mail-settings.repo.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';

/** The queue's and the settings' SQL, the same suite on both engines (migration 0120, the repositories). */
function suite(open: () => Promise<Store>, close: () => Promise<void>): void {
  let store: Store;
  let userId: number;
  let mailboxId: number;
  beforeAll(async () => {
    store = await open();
    userId = (await store.get<{ id: number }>(
      `INSERT INTO users (kind, name, created_at, created_by, updated_at) VALUES ('api', 'CRM Sync', 1, 'test', 1) RETURNING id`,
    ))!.id;
    mailboxId = (await store.get<{ id: number }>(`INSERT INTO mailboxes (address, display_name, created_at) VALUES ('info@example.com', 'Info', 1) RETURNING id`))!.id;
  });
  afterAll(close);

  const message = (id: string, createdAt: number) => ({
    id, userId: Number(userId), userName: 'CRM Sync', mailboxId: Number(mailboxId), mailboxAddress: 'info@example.com', envelopeFrom: 'info@example.com',
    envelopeTo: ['a@one.de', 'b@two.de'], recipientDomains: ['one.de', 'two.de'], message: Buffer.from('raw message'), source: 'smtp' as const,
    createdAt, giveUpAt: createdAt + 60_000,
  });

  test('settings: the default row and a mailbox row, the wrapped secret as bytes', async () => {
    await saveMailSettings(store, {
      mailboxId: null, upstream: { host: 'smtp.example.com', port: 587, tls: 'starttls', auth: 'password', user: 'u', wrappedSecret: Buffer.from([1, 2, 3]) },
      replyTo: null, footerText: 'F', footerHtml: null, dailyLimitPerUser: 10, maxMessageBytes: null, updatedAt: 5,
    });
    await saveMailSettings(store, { mailboxId: Number(mailboxId), upstream: null, replyTo: 'r@example.com', footerText: null, footerHtml: null, dailyLimitPerUser: null, maxMessageBytes: 2048, updatedAt: 6 });
    await saveMailSettings(store, { mailboxId: Number(mailboxId), upstream: null, replyTo: 'q@example.com', footerText: null, footerHtml: null, dailyLimitPerUser: null, maxMessageBytes: 2048, updatedAt: 7 });
    expect(await findMailSettings(store, null)).toMatchObject({ mailboxId: null, upstream: { port: 587, wrappedSecret: Buffer.from([1, 2, 3]) }, dailyLimitPerUser: 10 });
    expect(await findMailSettings(store, Number(mailboxId))).toMatchObject({ replyTo: 'q@example.com', maxMessageBytes: 2048, updatedAt: 7 });
    expect(Number((await store.get<{ n: number }>('SELECT count(*) AS n FROM mail_settings'))!.n)).toBe(2);
  });

  test('claim → sent clears the bytes; claim → deferred → claim → failed; release, retry, drop; counts', async () => {
    await insertQueuedMessage(store, message('m1-aaaaaaaaaaaaaaaaaaaa', 1000));
    await insertQueuedMessage(store, message('m2-bbbbbbbbbbbbbbbbbbbb', 1001));
    expect(await countAcceptedSince(store, Number(userId), Number(mailboxId), 1001)).toBe(1);
    const first = (await store.transaction((tx) => claimDueMessage(tx, 2000, 500, 'node-a')))!;
    expect(first).toMatchObject({ id: 'm1-aaaaaaaaaaaaaaaaaaaa', attempts: 1, envelopeTo: ['a@one.de', 'b@two.de'], message: Buffer.from('raw message') });
    expect(await markSent(store, first.id, 2001, '250 ok')).toBe(true);
    expect(await markSent(store, first.id, 2001, '250 ok')).toBe(false);
    expect(Number((await store.get<{ n: number }>('SELECT length(message) AS n FROM mail_queue WHERE id = ?', [first.id]))!.n)).toBe(0);

    const second = (await store.transaction((tx) => claimDueMessage(tx, 2000, 500, 'node-a')))!;
    expect(await store.transaction((tx) => claimDueMessage(tx, 2000, 500, 'node-b'))).toBeUndefined();
    expect(await markDeferred(store, second.id, 2002, 3000, 'ECONNREFUSED', null)).toBe(true);
    expect(await store.transaction((tx) => claimDueMessage(tx, 2999, 500, 'node-a'))).toBeUndefined();
    const again = (await store.transaction((tx) => claimDueMessage(tx, 3000, 500, 'node-a')))!;
    expect(again.attempts).toBe(2);
    // Killed while sending: the same node releases its claim when it starts again; another node waits for the lease.
    expect(await releaseClaimsOf(store, 'node-b', 3001)).toBe(0);
    expect(await releaseClaimsOf(store, 'node-a', 3001)).toBe(1);
    const third = (await store.transaction((tx) => claimDueMessage(tx, 3001, 500, 'node-b')))!;
    expect(await markFailed(store, third.id, 3002, '554 no', '554 no')).toBe(true);

    const counts = await queueCountsByMailbox(store);
    expect(counts).toEqual([{ mailboxId: Number(mailboxId), address: 'info@example.com', queued: 0, sending: 0, sent: 1, failed: 1, retrying: 0, lastError: '554 no', lastErrorAt: 3002, lastSentAt: 2001 }]);
    expect(await requeueMessage(store, first.id, 4000, 9000)).toBe(false);
    expect(await requeueMessage(store, third.id, 4000, 9000)).toBe(true);
    expect(await findQueueEntry(store, third.id)).toMatchObject({ state: 'queued', attempts: 3, giveUpAt: 9000, recipientDomains: ['one.de', 'two.de'] });
    expect((await listQueueEntries(store, { state: 'queued' }, 10, 0)).total).toBe(1);
    expect(await deleteQueuedMessage(store, third.id)).toBe(true);
    expect((await listQueueEntries(store, { mailboxId: Number(mailboxId) }, 10, 0)).rows.map((r) => r.id)).toEqual([first.id]);
  });
}

describe('SQLite', () => {
  let db: Database.Database;
  suite(
    async () => {
      db = new Database(':memory:');
      db.pragma('foreign_keys = ON');
      migrate(db, migrations);
      return sqliteStore(db);
    },
    async () => {
      db.close();
    },
  );
});

describePostgres('PostgreSQL', () => {
  const scratch = postgresScratch();
  suite(
    async () => {
      const pool = await scratch.pool();
      await migratePostgres(pool, migrations);
      return postgresStore(pool);
    },
    async () => {},
  );
});
