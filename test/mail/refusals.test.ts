import { afterEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { basic, newClient, post } from '../token-server/support.js';
import { smtpDialogue } from './smtp-dialogue.js';
import { accessToken, eventually, integration, mailEvents, startMailFixture, type MailFixture, type MailFixtureOptions } from './support.js';

let f: MailFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function fixture(options: MailFixtureOptions = {}): Promise<MailFixture> {
  f = await startMailFixture(options);
  return f;
}

const queued = (f: MailFixture) => (f.core.db.prepare('SELECT count(*) AS n FROM mail_queue').get() as { n: number }).n;
const rows = (f: MailFixture) =>
  f.core.db.prepare('SELECT id, state, attempts, last_error AS lastError, upstream_reply AS reply FROM mail_queue ORDER BY created_at').all() as {
    id: string; state: string; attempts: number; lastError: string | null; reply: string | null;
  }[];

/** The SMTP reply a send was refused with (nodemailer's error), or a failure if it was accepted. */
async function refusal(send: Promise<unknown>): Promise<{ code: number; response: string; command: string }> {
  try {
    await send;
  } catch (error) {
    const e = error as { responseCode: number; response: string; command: string };
    return { code: e.responseCode, response: e.response, command: e.command };
  }
  throw new Error('the message was accepted');
}

const message = (from = 'info@example.com', extra: Record<string, unknown> = {}) => ({ from, to: 'kunde@kunden.de', subject: 'Hallo', text: 'Text', ...extra });
const lastRefusal = (f: MailFixture) => mailEvents(f).filter((e) => e.type === 'mail.refused').at(-1)!;

describe('the sender rule', () => {
  test('a From header naming another mailbox: 550 5.7.1 at DATA with the count, nothing queued, logged', async () => {
    const f = await fixture();
    const token = await accessToken(f);
    const got = await refusal(integration(f, { accessToken: token }).sendMail({ ...message('chef@example.com'), envelope: { from: 'info@example.com', to: ['kunde@kunden.de'] } }));
    expect(got.code).toBe(550);
    expect(got.command).toBe('DATA');
    expect(got.response).toBe('550 5.7.1 The From header is not one of the 1 mailbox this API user may send from');
    expect(queued(f)).toBe(0);
    expect(lastRefusal(f)).toMatchObject({ outcome: 'failure', reason: 'from_not_assigned', targetUserId: f.crm.userId, details: { stage: 'DATA' } });
  });

  test('an envelope sender that is not assigned: refused at MAIL FROM; a mailbox of another API user likewise', async () => {
    const f = await fixture();
    const other = await newClient(f);
    const sales = await f.core.mailboxes.create(f.admin, { address: 'sales@example.com', displayName: 'Sales' });
    await f.core.mailboxes.assign(f.admin, { mailboxId: sales.id, userId: other.userId });
    const token = await accessToken(f);
    for (const from of ['nobody@example.com', 'sales@example.com']) {
      const got = await refusal(integration(f, { accessToken: token }).sendMail(message(from)));
      expect(got.command).toBe('MAIL FROM');
      expect(got.response).toBe('550 5.7.1 The envelope sender is not one of the 1 mailbox this API user may send from');
      expect(lastRefusal(f)).toMatchObject({ reason: 'sender_not_assigned', details: { stage: 'MAIL FROM' } });
    }
    // Never the list of allowed mailboxes.
    expect(JSON.stringify(mailEvents(f))).not.toContain('info@example.com');
    expect(queued(f)).toBe(0);
  });

  test('the address compares case-insensitively and internationalised domains in their IDNA form', async () => {
    const f = await fixture();
    const mailbox = await f.core.mailboxes.create(f.admin, { address: 'buero@xn--mller-kva.de', displayName: 'Büro' });
    await f.core.mailboxes.assign(f.admin, { mailboxId: mailbox.id, userId: f.crm.userId });
    const token = await accessToken(f);
    const info = await integration(f, { accessToken: token }).sendMail(message('BUERO@müller.de'));
    expect(info.response).toMatch(/^250 /);
    expect(rows(f)).toHaveLength(1);
  });
});

describe('who may send', () => {
  test('an expired token, a revoked token, a disabled user: 535 at AUTH, each reason logged', async () => {
    const f = await fixture();
    const expired = await accessToken(f);
    f.core.clock.advance(2 * 3600_000);
    expect((await refusal(integration(f, { accessToken: expired }).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'token_invalid', details: { stage: 'auth', method: 'XOAUTH2' } });

    const revoked = await accessToken(f);
    const answer = await post(f.url, '/oauth2/revoke', { token: revoked }, { authorization: basic(f.crm.clientId, f.crm.secret) });
    expect(answer.status).toBe(200);
    expect((await refusal(integration(f, { accessToken: revoked }).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'token_revoked' });

    const live = await accessToken(f);
    await f.core.users.disable(f.admin, { id: f.crm.userId });
    expect((await refusal(integration(f, { accessToken: live }).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'user_disabled', targetUserId: f.crm.userId });
    expect((await refusal(integration(f, { clientId: f.crm.clientId, secret: f.crm.secret }, true).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'user_disabled', details: { method: 'PLAIN' } });
    expect(queued(f)).toBe(0);
  });

  test('on a connection kept open, a token revoked (or a user disabled) after AUTH stops the next message: 530 at MAIL FROM', async () => {
    const f = await fixture();
    const token = await accessToken(f);
    const { smtpDialogue } = await import('./smtp-dialogue.js');
    const xoauth2 = Buffer.from(`user=info@example.com\x01auth=Bearer ${token}\x01\x01`).toString('base64');
    const data = 'From: info@example.com\r\nTo: kunde@kunden.de\r\nSubject: x\r\n\r\nHallo\r\n.';
    const lines = await smtpDialogue(f, [
      `AUTH XOAUTH2 ${xoauth2}`, 'MAIL FROM:<info@example.com>', 'RCPT TO:<kunde@kunden.de>', 'DATA', data,
      'NOOP', // the revocation happens here (below, before the dialogue goes on)
      'MAIL FROM:<info@example.com>', 'QUIT',
    ], {
      before: async (index) => {
        if (index === 6) {
          const answer = await post(f.url, '/oauth2/revoke', { token }, { authorization: basic(f.crm.clientId, f.crm.secret) });
          expect(answer.status).toBe(200);
        }
      },
    });
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['235', '250', '250', '354', '250', '250', '530', '221']);
    expect(lines[6]).toBe('530 5.7.0 The login no longer stands (token expired or revoked, or the API user disabled); log in again');
    expect(lastRefusal(f)).toMatchObject({ reason: 'token_revoked', details: { stage: 'MAIL FROM' } });
    expect(queued(f)).toBe(1);
  });

  test('an address outside the allowlist is refused, by token and by secret', async () => {
    const f = await fixture();
    const token = await accessToken(f);
    await f.core.users.setAllowlist(f.admin, { id: f.crm.userId, entries: ['10.0.0.0/8'] });
    f.server.forgetUser(f.crm.userId);
    expect((await refusal(integration(f, { accessToken: token }).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'address_not_allowed', sourceIp: '127.0.0.1' });
    expect((await refusal(integration(f, { clientId: f.crm.clientId, secret: f.crm.secret }, true).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'address_not_allowed', details: { method: 'PLAIN' } });
  });

  test('a wrong secret is refused and counted like at the token endpoint; a token without mail:send is refused', async () => {
    const f = await fixture();
    expect((await refusal(integration(f, { clientId: f.crm.clientId, secret: 'wrong' }, true).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'wrong_secret' });
    const rsToken = await accessToken(f, f.rs);
    expect((await refusal(integration(f, { accessToken: rsToken }).sendMail(message()))).code).toBe(535);
    expect(lastRefusal(f)).toMatchObject({ reason: 'mail_not_granted' });
  });

  test('a flood of wrong secrets meets the token endpoint\'s back-off; a sender with a token is not starved', async () => {
    const f = await fixture();
    const token = await accessToken(f);
    const codes: number[] = [];
    for (let i = 0; i < 14; i++) {
      codes.push((await refusal(integration(f, { clientId: f.crm.clientId, secret: `guess-${i}` }, true).sendMail(message()))).code);
    }
    expect(codes.every((c) => c === 535)).toBe(true);
    // The same back-off as at the token endpoint: past its free failures the address is throttled.
    expect(mailEvents(f).filter((e) => e.type === 'mail.refused').map((e) => e.reason)).toContain('rate_limited_address');
    // One back-off for both doors: the next guess at the token endpoint is throttled too.
    const guess = await post(f.url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(f.crm.clientId, 'one-more-guess') });
    expect(guess.status).toBe(429);
    // Bearer tokens cost no argon2 and are checked on their signature: the good sender still gets through.
    expect((await integration(f, { accessToken: token }).sendMail(message())).response).toMatch(/^250 /);
  });

  test('AUTH before STARTTLS on 587 is refused (538): no credentials in clear', async () => {
    const f = await fixture();
    const lines = await smtpDialogue(f, [`AUTH PLAIN ${Buffer.from(`\0${f.crm.clientId}\0${f.crm.secret}`).toString('base64')}`, 'QUIT'], { starttls: false });
    expect(lines[0]).toMatch(/^538 /);
  });
});

describe('limits', () => {
  test('a message over the mailbox\'s size: 552, nothing queued', async () => {
    const f = await fixture();
    await f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', { mailboxId: f.mailboxId, maxMessageBytes: 4096 }));
    const token = await accessToken(f);
    const got = await refusal(integration(f, { accessToken: token }).sendMail(message('info@example.com', { text: 'x'.repeat(10_000) })));
    expect(got.code).toBe(552);
    expect(got.response).toContain('5.3.4');
    expect(queued(f)).toBe(0);
    expect(lastRefusal(f)).toMatchObject({ reason: 'too_large' });
  });

  test('the daily limit per API user: 452 with a clear text; the rate per minute: 451 4.7.1', async () => {
    const f = await fixture({ relay: { ratePerMinute: 2 } });
    await f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', { mailboxId: f.mailboxId, dailyLimitPerUser: 1 }));
    const token = await accessToken(f);
    const transport = integration(f, { accessToken: token });
    await transport.sendMail(message());
    const daily = await refusal(transport.sendMail(message()));
    expect(daily.response).toBe('452 4.5.3 Daily limit reached: this API user may send 1 messages a day from this mailbox');
    await f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', { mailboxId: f.mailboxId, dailyLimitPerUser: null }));
    await transport.sendMail(message());
    const rate = await refusal(transport.sendMail(message()));
    expect(rate.response).toBe('451 4.7.1 Too many messages: this API user may send 2 a minute; try again shortly');
    expect(queued(f)).toBe(2);
  });

  test('more recipients than allowed: 452 at RCPT TO for each one over (RFC 5321 §4.5.3.1.10: the client sends those later)', async () => {
    const f = await fixture({ relay: { maxRecipients: 2 } });
    const token = await accessToken(f);
    const info = await integration(f, { accessToken: token }).sendMail(message('info@example.com', { to: ['a@x.de', 'b@x.de', 'c@x.de'] }));
    expect(info.accepted).toEqual(['a@x.de', 'b@x.de']);
    expect(info.rejected).toEqual(['c@x.de']);
    const rejected = (info as unknown as { rejectedErrors: { responseCode: number; response: string }[] }).rejectedErrors;
    expect(rejected[0]!.response).toBe('452 4.5.3 Too many recipients: at most 2 per message');
    expect((f.core.db.prepare('SELECT recipient_count AS n FROM mail_queue').get() as { n: number }).n).toBe(2);
    expect(lastRefusal(f)).toMatchObject({ reason: 'too_many_recipients', details: { stage: 'RCPT TO' } });
  });
});

describe('delivery', () => {
  test('upstream down: accepted and queued, retried, delivered once it is back', async () => {
    const f = await fixture();
    await f.upstream.stop();
    const token = await accessToken(f);
    const info = await integration(f, { accessToken: token }).sendMail(message());
    expect(info.response).toMatch(/^250 /);
    const waiting = await eventually(() => rows(f).find((r) => r.state === 'queued' && r.attempts >= 1 && r.lastError));
    expect(waiting.lastError).toMatch(/ECONNREFUSED|ECONNECTION/);
    await f.upstream.start();
    // The retry is due after the back-off on the store's clock (a test clock here).
    f.core.clock.advance(60_000);
    f.relay.wake();
    await eventually(() => rows(f).find((r) => r.state === 'sent'), 8_000);
    expect(f.upstream.received).toHaveLength(1);
    const types = mailEvents(f).map((e) => e.type).filter((t) => t !== 'mail.settings_changed');
    expect(types[0]).toBe('mail.accepted');
    expect(types).toContain('mail.deferred');
    expect(types.at(-1)).toBe('mail.sent');
    const stats = await f.mail.stats(f.admin);
    expect(stats.find((s) => s.mailboxId === f.mailboxId)).toMatchObject({ queued: 0, sent: 1, failed: 0 });
  });

  test('upstream refusing for good: failed with its reply, not retried, listed as failing', async () => {
    const f = await fixture();
    f.upstream.refuse = '5.7.1 Relaying denied';
    const token = await accessToken(f);
    await integration(f, { accessToken: token }).sendMail(message());
    const failed = await eventually(() => rows(f).find((r) => r.state === 'failed'));
    expect(failed.reply).toContain('554 5.7.1 Relaying denied');
    await new Promise((r) => setTimeout(r, 500)); // several poll intervals
    expect(rows(f)[0]!.attempts).toBe(1);
    expect(mailEvents(f).at(-1)).toMatchObject({ type: 'mail.failed', reason: 'upstream_refused' });
    const stats = await f.mail.stats(f.admin);
    expect(stats.find((s) => s.mailboxId === f.mailboxId)).toMatchObject({ failed: 1, failing: true, lastError: expect.stringContaining('Relaying denied') });
    // retry puts it back; the admin sees it delivered once the upstream takes it.
    f.upstream.refuse = null;
    await f.mail.retry(f.admin, { id: failed.id });
    f.relay.wake();
    await eventually(() => rows(f).find((r) => r.state === 'sent'));
  });

  test('given up after the configured time, with the reason', async () => {
    const f = await fixture({ relay: { giveUpAfterMinutes: 1 } });
    await f.upstream.stop();
    const token = await accessToken(f);
    await integration(f, { accessToken: token }).sendMail(message());
    await eventually(() => rows(f).find((r) => r.state === 'queued' && r.attempts >= 1));
    f.core.clock.advance(2 * 60_000);
    f.relay.wake();
    const failed = await eventually(() => rows(f).find((r) => r.state === 'failed'), 8_000);
    expect(failed.lastError).toMatch(/^still undelivered at the give-up time/);
    expect(mailEvents(f).at(-1)).toMatchObject({ type: 'mail.failed', reason: 'gave_up' });
  });
});
