import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors.js';
import { accessToken, eventually, integration, startMailFixture, type MailFixture } from './support.js';

/** The admin side (MailService, the IPC channels' service): secrets, fallback, the connection test, the queue. */

let f: MailFixture;
beforeEach(async () => {
  f = await startMailFixture();
});
afterEach(async () => {
  await f.close();
});

const secretColumn = (f: MailFixture) =>
  (f.core.db.prepare('SELECT upstream_secret AS s FROM mail_settings WHERE is_default = 1').get() as { s: Buffer | null }).s;

describe('upstream settings', () => {
  test('the secret is stored wrapped, shown only as set, kept when left out, and never in the log', async () => {
    const shown = await f.mail.settings(f.admin, { mailboxId: null });
    expect(shown.upstream).toEqual({ host: '127.0.0.1', port: f.upstream.port, tls: 'starttls', auth: 'password', user: 'relay-user', secretSet: true });
    expect(JSON.stringify(shown)).not.toContain('upstream-password');
    const stored = secretColumn(f)!;
    expect(stored.includes(Buffer.from('upstream-password'))).toBe(false);
    expect(f.wrapper.unwrap(stored).toString()).toBe('upstream-password');
    f.core.db.pragma('wal_checkpoint(FULL)');
    expect(readFileSync(f.core.db.name).includes(Buffer.from('upstream-password'))).toBe(false);

    // Saved again without a secret (the form never gets it back): the stored one stays.
    await f.mail.setUpstream(f.admin, parseInputOf('mail.setUpstream', { mailboxId: null, host: '127.0.0.1', port: f.upstream.port, tls: 'starttls', auth: 'password', user: 'relay-user' }));
    expect(f.wrapper.unwrap(secretColumn(f)!).toString()).toBe('upstream-password');
    expect((await f.mail.testUpstream(f.admin, { mailboxId: f.mailboxId })).ok).toBe(true);

    const rows = f.core.db.prepare(`SELECT * FROM audit_events WHERE type = 'mail.settings_changed' ORDER BY id`).all() as { details: string }[];
    expect(rows.map((r) => (JSON.parse(r.details) as { secretChanged: boolean }).secretChanged)).toEqual([true, false]);
    const log = JSON.stringify(rows);
    expect(log).not.toContain('upstream-password');
  });

  test('a mailbox sends through the default until it has its own; clearing it falls back again', async () => {
    let s = await f.mail.settings(f.admin, { mailboxId: f.mailboxId });
    expect(s).toMatchObject({ address: 'info@example.com', displayName: 'Info', upstream: null, effective: { upstreamFrom: 'default', maxMessageBytes: 25 * 1024 * 1024 } });
    s = await f.mail.setUpstream(f.admin, parseInputOf('mail.setUpstream', { mailboxId: f.mailboxId, host: 'smtp.office365.com', port: 587, tls: 'starttls', auth: 'oauth2', user: 'info@example.com', secret: 'bearer-xyz' }));
    expect(s.effective).toMatchObject({ upstreamFrom: 'mailbox', upstream: { host: 'smtp.office365.com', auth: 'oauth2', secretSet: true } });
    s = await f.mail.clearUpstream(f.admin, { mailboxId: f.mailboxId });
    expect(s.effective.upstreamFrom).toBe('default');
    await f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', { mailboxId: null, dailyLimitPerUser: 500, maxMessageBytes: 10_000_000 }));
    s = await f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', { mailboxId: f.mailboxId, maxMessageBytes: 2_000_000 }));
    expect(s.effective).toMatchObject({ dailyLimitPerUser: 500, maxMessageBytes: 2_000_000 });
  });

  test('the connection test reports a wrong password and a closed port, without the secret', async () => {
    await f.mail.setUpstream(f.admin, parseInputOf('mail.setUpstream', { mailboxId: null, host: '127.0.0.1', port: f.upstream.port, tls: 'starttls', auth: 'password', user: 'relay-user', secret: 'wrong-password' }));
    const wrong = await f.mail.testUpstream(f.admin, { mailboxId: null });
    expect(wrong).toMatchObject({ ok: false, host: '127.0.0.1', port: f.upstream.port });
    expect(wrong.message).toMatch(/EAUTH/);
    expect(wrong.message).not.toContain('wrong-password');
    await f.upstream.stop();
    const closed = await f.mail.testUpstream(f.admin, { mailboxId: null });
    expect(closed.ok).toBe(false);
    expect(closed.message).toMatch(/ECONNECTION|ECONNREFUSED/);
  });

  test('changes need mailboxes.manage; an unknown mailbox is not found', async () => {
    const bob = await f.core.users.createPerson(f.admin, parseInputOf('users.createPerson', { name: 'bob', password: 'another long password' }));
    const asBob = { kind: 'person' as const, userId: bob.id, name: 'bob' };
    await expect(f.mail.setSettings(asBob, parseInputOf('mail.setSettings', { mailboxId: null, replyTo: 'x@example.com' }))).rejects.toThrow(ForbiddenError);
    await expect(f.mail.testUpstream(asBob, { mailboxId: null })).rejects.toThrow(ForbiddenError);
    await expect(f.mail.settings(f.admin, { mailboxId: 999 })).resolves.toMatchObject({ address: null });
    await expect(f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', { mailboxId: 999, replyTo: 'x@example.com' }))).rejects.toThrow(NotFoundError);
  });
});

describe('the queue', () => {
  test('stats, queue page, drop and retry; retry of a sent message is refused', async () => {
    await f.upstream.stop();
    const token = await accessToken(f);
    const transport = integration(f, { accessToken: token });
    await transport.sendMail({ from: 'info@example.com', to: ['a@one.de', 'b@two.de'], subject: 's', text: 't' });
    await transport.sendMail({ from: 'info@example.com', to: 'c@three.de', subject: 's', text: 't' });
    await eventually(async () => (await f.mail.stats(f.admin)).find((s) => s.mailboxId === f.mailboxId && s.queued === 2 && s.lastError));
    const stats = (await f.mail.stats(f.admin)).find((s) => s.mailboxId === f.mailboxId)!;
    expect(stats).toMatchObject({ address: 'info@example.com', queued: 2, sent: 0, failed: 0, failing: true });
    const page = await f.mail.queue(f.admin, parseInputOf('mail.queue', { mailboxId: f.mailboxId }));
    expect(page.total).toBe(2);
    // Both were accepted in the same millisecond of the test clock: told apart by their recipients.
    const older = page.rows.find((r) => r.recipientCount === 2)!;
    expect(older).toMatchObject({ recipientCount: 2, recipientDomains: ['one.de', 'two.de'], userName: 'CRM Sync', state: 'queued', source: 'smtp' });
    expect(JSON.stringify(page)).not.toMatch(/a@one\.de|c@three\.de/);

    await f.mail.drop(f.admin, { id: older.id });
    await expect(f.mail.drop(f.admin, { id: older.id })).rejects.toThrow(NotFoundError);
    await f.upstream.start();
    const newer = page.rows.find((r) => r.id !== older.id)!;
    await f.mail.retry(f.admin, { id: newer.id });
    f.relay.wake();
    await eventually(async () => (await f.mail.queue(f.admin, parseInputOf('mail.queue', { state: 'sent' }))).total === 1);
    await expect(f.mail.retry(f.admin, { id: newer.id })).rejects.toThrow(ConflictError);
    expect(f.upstream.received).toHaveLength(1);
    const types = (f.core.db.prepare(`SELECT type FROM audit_events WHERE type IN ('mail.dropped', 'mail.retried') ORDER BY id`).all() as { type: string }[]).map((r) => r.type);
    expect(types).toEqual(['mail.dropped', 'mail.retried']);
  });
});
