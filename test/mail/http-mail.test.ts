import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { accessToken, eventually, mailEvents, startMailFixture, type MailFixture } from './support.js';

/** POST /v1/mail on the token server's port: exact statuses, headers and JSON bodies. */

let f: MailFixture;
beforeEach(async () => {
  f = await startMailFixture();
});
afterEach(async () => {
  await f.close();
});

async function send(body: unknown, token: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(`${f.url}/v1/mail`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
}

const queued = () => (f.core.db.prepare('SELECT count(*) AS n FROM mail_queue').get() as { n: number }).n;

describe('POST /v1/mail', () => {
  test('202 with the message id; the upstream gets it with attachments, cc, and bcc only in the envelope', async () => {
    const token = await accessToken(f);
    const reply = await send({
      from: 'Info <info@example.com>',
      to: ['kunde@kunden.de'],
      cc: 'chef@kunden.de',
      bcc: ['archiv@example.org'],
      subject: 'Exposé',
      text: 'Anbei das Exposé.',
      html: '<p>Anbei das Exposé.</p>',
      attachments: [{ filename: 'expose.txt', contentType: 'text/plain', content: Buffer.from('Wohnung, 3 Zimmer').toString('base64') }],
    }, token);
    expect(reply.status).toBe(202);
    expect(Object.keys(reply.json)).toEqual(['id']);
    expect(reply.json.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const got = await eventually(() => f.upstream.received[0]);
    expect(got.from).toBe('info@example.com');
    expect(got.to.sort()).toEqual(['archiv@example.org', 'chef@kunden.de', 'kunde@kunden.de']);
    expect(got.raw).toMatch(/^Cc: chef@kunden\.de$/m);
    expect(got.raw).not.toMatch(/^Bcc:/im);
    expect(got.raw).toContain('filename=expose.txt');
    expect(got.raw).toContain(Buffer.from('Wohnung, 3 Zimmer').toString('base64'));
    expect(mailEvents(f).find((e) => e.type === 'mail.accepted')!.details).toMatchObject({ messageId: reply.json.id, source: 'http', method: 'bearer', recipients: 3 });
  });

  test('401 without a token, with a bad one; 403 without mail:send and from a mailbox not assigned; nothing queued', async () => {
    const body = { from: 'info@example.com', to: 'kunde@kunden.de', subject: 's', text: 't' };
    const none = await send(body, null);
    expect(none).toMatchObject({ status: 401, json: { error: 'invalid_request', error_description: 'Send the access token as Authorization: Bearer <token>' } });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await send(body, 'abc.def.ghi');
    expect(bad).toMatchObject({ status: 401, json: { error: 'invalid_token', error_description: 'The access token is invalid, expired or revoked, or its API user may not send now' } });
    expect(bad.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const rs = await send(body, await accessToken(f, f.rs));
    expect(rs).toMatchObject({ status: 403, json: { error: 'insufficient_scope', error_description: 'The token lacks the mail:send right' } });
    const token = await accessToken(f);
    const other = await send({ ...body, from: 'chef@example.com' }, token);
    expect(other.status).toBe(403);
    expect(other.json).toEqual({ error: 'sender_not_assigned', error_description: 'The envelope sender is not one of the 1 mailbox this API user may send from' });
    expect(queued()).toBe(0);
    expect(mailEvents(f).filter((e) => e.type === 'mail.refused').map((e) => e.reason)).toEqual(['token_invalid', 'mail_not_granted', 'sender_not_assigned']);
  });

  test('400 for a body that is not the message JSON; 413 over the mailbox\'s size; 429 over the daily limit', async () => {
    const token = await accessToken(f);
    expect(await send('not json', token)).toMatchObject({ status: 400, json: { error: 'invalid_request', error_description: 'The body must be a JSON object (Content-Type: application/json)' } });
    expect(await send({ from: 'info@example.com', to: 'kunde@kunden.de', extra: 1 }, token)).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect(await send({ from: 'info@example.com', subject: 's', text: 't' }, token)).toMatchObject({ status: 400, json: { error: 'no_recipients', error_description: 'No valid recipients' } });
    await f.mail.setSettings(f.admin, parseInputOf('mail.setSettings', { mailboxId: f.mailboxId, maxMessageBytes: 2048, dailyLimitPerUser: 1 }));
    const big = await send({ from: 'info@example.com', to: 'kunde@kunden.de', text: 'x'.repeat(5000) }, token);
    expect(big).toMatchObject({ status: 413, json: { error: 'too_large', error_description: 'The message is larger than this mailbox accepts (2048 bytes)' } });
    expect((await send({ from: 'info@example.com', to: 'kunde@kunden.de', text: 'one' }, token)).status).toBe(202);
    expect(await send({ from: 'info@example.com', to: 'kunde@kunden.de', text: 'two' }, token)).toMatchObject({
      status: 429, json: { error: 'daily_limit', error_description: 'Daily limit reached: this API user may send 1 messages a day from this mailbox' },
    });
    expect(queued()).toBe(1);
  });

  test('404 while the relay is not running', async () => {
    await f.relay.close();
    const reply = await send({}, 'x');
    expect(reply).toMatchObject({ status: 404, json: { error: 'invalid_request', error_description: 'The mail relay is not running' } });
  });
});
