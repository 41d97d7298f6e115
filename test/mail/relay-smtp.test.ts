import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { accessToken, eventually, integration, mailEvents, startMailFixture, type MailFixture } from './support.js';

let f: MailFixture;

beforeEach(async () => {
  f = await startMailFixture();
  await f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', {
    mailboxId: f.mailboxId, replyTo: 'office@example.com', footerText: 'Example GmbH, Hauptstr. 1', footerHtml: '<p class="footer">Example GmbH</p>',
  }));
});
afterEach(async () => {
  await f.close();
});

const queueStates = (f: MailFixture) => f.core.db.prepare('SELECT id, state, attempts FROM mail_queue ORDER BY created_at').all() as { id: string; state: string; attempts: number }[];

describe('end to end over SMTP on loopback', () => {
  test('nodemailer with XOAUTH2 on STARTTLS: the upstream gets the message with the mailbox\'s settings applied', async () => {
    const token = await accessToken(f);
    const info = await integration(f, { accessToken: token }).sendMail({
      from: 'Info@Example.com',
      to: 'kunde@kunden.de',
      bcc: 'archiv@example.org',
      subject: 'Ihr Exposé',
      text: 'Guten Tag,\nanbei das Exposé.',
      html: '<html><body><p>Guten Tag</p></body></html>',
    });
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as [A-Za-z0-9_-]{22}$/);
    const got = await eventually(() => f.upstream.received[0]);
    expect(got.user).toBe('relay-user');
    expect(got.from).toBe('info@example.com');
    expect(got.to.sort()).toEqual(['archiv@example.org', 'kunde@kunden.de']);
    // The display name comes from the mailbox (the integration gave none); the address as the integration wrote it.
    expect(got.raw).toMatch(/^From: Info <Info@example\.com>$/m);
    expect(got.raw).toMatch(/^Reply-To: office@example\.com$/m);
    expect(got.raw).not.toMatch(/^Bcc:/im);
    expect(got.raw).toContain('Example GmbH, Hauptstr. 1');
    expect(got.raw).toContain('<p>Guten Tag</p><p class="footer">Example GmbH</p>\r\n</body></html>');
    const id = info.response.split(' ').pop()!;
    await eventually(() => queueStates(f).find((r) => r.id === id && r.state === 'sent'));
    // Once sent, the store keeps the trail, not the mail.
    expect((f.core.db.prepare('SELECT length(message) AS n FROM mail_queue WHERE id = ?').get(id) as { n: number }).n).toBe(0);
    const logged = mailEvents(f).filter((e) => e.type !== 'mail.settings_changed');
    expect(logged.map((e) => e.type)).toEqual(['mail.accepted', 'mail.sent']);
    expect(logged[0]!.details).toMatchObject({ messageId: id, mailbox: 'info@example.com', recipients: 2, recipientDomains: ['example.org', 'kunden.de'], method: 'XOAUTH2' });
    const everything = JSON.stringify(logged);
    for (const secret of ['kunde@kunden.de', 'archiv@example.org', 'Exposé', 'Guten Tag', token]) expect(everything).not.toContain(secret);
  });

  test('AUTH PLAIN with client id and secret on implicit TLS (465)', async () => {
    const info = await integration(f, { clientId: f.crm.clientId, secret: f.crm.secret }, true).sendMail({
      from: '"Makler Info" <info@example.com>',
      to: 'kunde@kunden.de',
      subject: 'Hallo',
      text: 'Text',
    });
    expect(info.response).toMatch(/^250 /);
    const got = await eventually(() => f.upstream.received[0]);
    expect(got.raw).toMatch(/^From: Makler Info <info@example\.com>$/m);
    expect(got.raw).toContain('Example GmbH, Hauptstr. 1');
    // The secret's last use is recorded, as a token request records it.
    const [secret] = await f.core.secrets.list(f.admin, { userId: f.crm.userId });
    expect(secret).toMatchObject({ lastUsedIp: '127.0.0.1', lastUsedAt: expect.any(Number) });
  });

  test('OAUTHBEARER (RFC 7628), spoken by hand over STARTTLS', async () => {
    const token = await accessToken(f);
    const { smtpDialogue } = await import('./smtp-dialogue.js');
    const lines = await smtpDialogue(f, [
      `AUTH OAUTHBEARER ${Buffer.from(`n,a=info@example.com,\x01auth=Bearer ${token}\x01\x01`).toString('base64')}`,
      'MAIL FROM:<info@example.com>',
      'RCPT TO:<kunde@kunden.de>',
      'DATA',
      'From: info@example.com\r\nTo: kunde@kunden.de\r\nSubject: x\r\n\r\nHallo\r\n.',
      'QUIT',
    ]);
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['235', '250', '250', '354', '250', '221']);
    await eventually(() => f.upstream.received[0]);
  });

  test('a wrong OAUTHBEARER token gets the RFC 7628 JSON challenge, then 535', async () => {
    const { smtpDialogue } = await import('./smtp-dialogue.js');
    const lines = await smtpDialogue(f, [
      `AUTH OAUTHBEARER ${Buffer.from('n,,\x01auth=Bearer not.a.token\x01\x01').toString('base64')}`,
      Buffer.from('\x01').toString('base64'),
      'QUIT',
    ]);
    expect(lines[0]).toMatch(/^334 /);
    expect(JSON.parse(Buffer.from(lines[0]!.slice(4), 'base64').toString())).toMatchObject({ status: 'invalid_token' });
    expect(lines[1]).toMatch(/^535 /);
  });
});
