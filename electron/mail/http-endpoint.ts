import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyUpTo } from '../net/read-body.js';
import { z } from 'zod';
import type { RequestInfo } from '../token-server/context.js';
import { sendJson } from '../token-server/http-io.js';
import { checkFromHeader, compile } from './compose.js';
import { MailRefusal, refusals } from './refusals.js';
import type { MailRelayContext } from './relay-context.js';
import { MailAuthError, senderFromToken } from './sender-auth.js';
import { checkRecipientCount, openMessage, queueParsed, recordLoginRefusal, recordRefusal } from './submission.js';

/**
 * POST /v1/mail on the token server's port, for programs that cannot speak SMTP: a bearer access token
 * (RFC 6750 §2.1) and a small JSON message, built with nodemailer's MailComposer and then held to exactly
 * the rules an SMTP submission is (submission.ts). 202 {"id"} once the message is durable in the queue.
 * Errors are JSON like the token server's ({error, error_description}); 401 carries WWW-Authenticate.
 */
export { MAIL_PATH } from './mail-path.js';

const addressList = z.union([z.string().min(3).max(320), z.array(z.string().min(3).max(320)).max(1000)]).optional();
const messageSchema = z.strictObject({
  from: z.string().min(3).max(400),
  to: addressList,
  cc: addressList,
  bcc: addressList,
  subject: z.string().max(2000).default(''),
  text: z.string().optional(),
  html: z.string().optional(),
  attachments: z
    .array(
      z.strictObject({
        filename: z.string().min(1).max(255),
        contentType: z.string().max(255).optional(),
        content: z.string().regex(/^[A-Za-z0-9+/=\r\n]*$/, 'content must be base64'),
      }),
    )
    .max(100)
    .default([]),
});

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export async function mailEndpoint(rc: MailRelayContext, req: IncomingMessage, res: ServerResponse, request: RequestInfo): Promise<void> {
  if (req.method !== 'POST') {
    return sendJson(res, 405, JSON.stringify({ error: 'invalid_request', error_description: 'Use POST' }), { allow: 'POST' });
  }
  const token = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return unauthorized(res, 'invalid_request', 'Send the access token as Authorization: Bearer <token>');
  let sender;
  try {
    sender = await senderFromToken(rc.server, token, request.ip, 'bearer');
  } catch (error) {
    if (!(error instanceof MailAuthError)) throw error;
    await recordLoginRefusal(rc, request, error, 'bearer');
    if (error.reason === 'mail_not_granted') {
      return sendJson(res, 403, JSON.stringify({ error: 'insufficient_scope', error_description: 'The token lacks the mail:send right' }), {
        'www-authenticate': 'Bearer error="insufficient_scope", scope="mail:send"',
      });
    }
    return unauthorized(res, 'invalid_token', 'The access token is invalid, expired or revoked, or its API user may not send now');
  }

  // Base64 grows content by a third; the JSON around it is small.
  const limit = Math.ceil(rc.settings.maxMessageBytes * 1.4) + 64 * 1024;
  const body = await readJsonBody(req, limit);
  if (body === 'too_large') return failWith(rc, res, request, sender, refusals.tooBig(rc.settings.maxMessageBytes), true);
  if (body === 'not_json') return badRequest(res, 'The body must be a JSON object (Content-Type: application/json)');
  const parsed = messageSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return badRequest(res, `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const m = parsed.data;
  const recipients = [...list(m.to), ...list(m.cc), ...list(m.bcc)];
  try {
    const fromAddress = /<([^>]+)>\s*$/.exec(m.from)?.[1] ?? m.from.trim();
    const open = await openMessage(rc, sender, fromAddress);
    for (let i = 0; i < recipients.length; i++) checkRecipientCount(rc, i);
    if (recipients.length === 0) throw refusals.noRecipients();
    const raw = await compile({
      from: m.from,
      to: list(m.to),
      cc: list(m.cc),
      subject: m.subject,
      text: m.text,
      html: m.html,
      attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') })),
    });
    if (raw.length > open.settings.maxMessageBytes) throw refusals.tooBig(open.settings.maxMessageBytes);
    const message = await checkFromHeader(raw, open.mailbox, open.allowed);
    const id = await queueParsed(rc, open, recipients, message, 'http', request);
    sendJson(res, 202, JSON.stringify({ id }));
  } catch (error) {
    if (!(error instanceof MailRefusal)) throw error;
    return failWith(rc, res, request, sender, error, false);
  }
}

async function failWith(
  rc: MailRelayContext,
  res: ServerResponse,
  request: RequestInfo,
  sender: Parameters<typeof recordRefusal>[2],
  refusal: MailRefusal,
  closeConnection: boolean,
): Promise<void> {
  await recordRefusal(rc, request, sender, refusal, { stage: 'POST /v1/mail' });
  // The enhanced status code is SMTP's; the JSON says the same in words.
  const description = refusal.text.replace(/^\d\.\d+\.\d+ /, '');
  sendJson(res, refusal.httpStatus, JSON.stringify({ error: refusal.reason, error_description: description }), closeConnection ? { connection: 'close' } : {});
}

function unauthorized(res: ServerResponse, error: string, description: string): void {
  // RFC 6750 §3: a missing token gets a bare challenge, a bad one names invalid_token.
  const challenge = error === 'invalid_token' ? 'Bearer error="invalid_token"' : 'Bearer';
  sendJson(res, 401, JSON.stringify({ error, error_description: description }), { 'www-authenticate': challenge });
}

function badRequest(res: ServerResponse, description: string): void {
  sendJson(res, 400, JSON.stringify({ error: 'invalid_request', error_description: description }));
}

/** The JSON object of the body, up to `limit` bytes; 'too_large' without reading past the limit. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const media = req.headers['content-type']?.split(';', 1)[0]!.trim().toLowerCase();
  if (media !== 'application/json') return 'not_json';
  const body = await readBodyUpTo(req, limit);
  if (body === 'too_large') return body;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : 'not_json';
  } catch {
    return 'not_json';
  }
}
