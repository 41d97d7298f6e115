import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { mailboxesOfUser } from '../repos/mailboxes.repo.js';
import { countAcceptedSince, insertQueuedMessage } from '../repos/mail-queue.repo.js';
import { insertAuditEvent } from '../repos/audit.repo.js';
import type { RequestInfo } from '../token-server/context.js';
import { matchMailbox, recipientDomains } from './addresses.js';
import { checkFromHeader, dressMessage, type SendingMailbox } from './compose.js';
import { effectiveMailSettings, type EffectiveMailSettings } from './mail-settings.js';
import { MailRefusal, refusals } from './refusals.js';
import { withNode, type MailRelayContext } from './relay-context.js';
import { loginEnded, type MailAuthError, type MailAuthMethod, type MailSender } from './sender-auth.js';

/**
 * One message's way through the relay, the same for SMTP and POST /v1/mail, each step refusing at the point
 * that broke the rule: the sender's mailbox and rate (SMTP: at MAIL FROM), the recipients (RCPT TO), then the
 * content: size, the From header, the mailbox's settings applied, and the durable queue (DATA, before 250).
 */

const DAY_MS = 24 * 60 * 60_000;

/** What MAIL FROM settled: the mailbox the message goes out as, and what applies to it. */
export interface OpenMessage {
  sender: MailSender;
  mailbox: SendingMailbox;
  allowed: SendingMailbox[];
  settings: EffectiveMailSettings;
}

/** The API user's assigned mailboxes, read now (an unassignment applies to the next message). */
export function assignedMailboxes(rc: MailRelayContext, userId: number): Promise<SendingMailbox[]> {
  return mailboxesOfUser(rc.server.store, userId);
}

/** The envelope sender: one of the user's mailboxes, within its rate and daily limit, with an upstream. */
export async function openMessage(rc: MailRelayContext, sender: MailSender, envelopeFrom: string): Promise<OpenMessage> {
  const ended = await loginEnded(rc.server, sender);
  if (ended) throw refusals.loginEnded(ended);
  const allowed = await assignedMailboxes(rc, sender.userId);
  const mailbox = matchMailbox(envelopeFrom, allowed);
  if (!mailbox) throw refusals.notYourMailbox('envelope sender', allowed.length);
  const settings = await effectiveMailSettings(rc.store, mailbox.id, rc.settings);
  if (!settings.upstream) throw refusals.noUpstream();
  const now = rc.clock.now();
  if (settings.dailyLimitPerUser !== null && (await countAcceptedSince(rc.store, sender.userId, mailbox.id, now - DAY_MS)) >= settings.dailyLimitPerUser) {
    throw refusals.daily(settings.dailyLimitPerUser);
  }
  if (!rc.rate.take(sender.userId, now)) throw refusals.rate(rc.settings.ratePerMinute);
  return { sender, mailbox, allowed, settings };
}

/** One more recipient: within the relay's maximum. */
export function checkRecipientCount(rc: MailRelayContext, countBefore: number): void {
  if (countBefore >= rc.settings.maxRecipients) throw refusals.tooManyRecipients(rc.settings.maxRecipients);
}

/** The DATA stage for SMTP: size, From header, dressing, queue. */
export async function acceptRaw(rc: MailRelayContext, open: OpenMessage, recipients: readonly string[], raw: Buffer, request: RequestInfo): Promise<string> {
  if (raw.length > open.settings.maxMessageBytes) throw refusals.tooBig(open.settings.maxMessageBytes);
  const parsed = await checkFromHeader(raw, open.mailbox, open.allowed);
  return queueParsed(rc, open, recipients, parsed, 'smtp', request);
}

export async function queueParsed(
  rc: MailRelayContext,
  open: OpenMessage,
  recipients: readonly string[],
  parsed: ParsedMail,
  source: 'smtp' | 'http',
  request: RequestInfo,
): Promise<string> {
  if (recipients.length === 0) throw refusals.noRecipients();
  const id = randomBytes(16).toString('base64url');
  const domain = open.mailbox.address.slice(open.mailbox.address.lastIndexOf('@') + 1);
  const message = await dressMessage(parsed, open.mailbox, open.settings, `<${id}@${domain}>`);
  if (message.length > open.settings.maxMessageBytes) throw refusals.tooBig(open.settings.maxMessageBytes);
  const domains = recipientDomains(recipients);
  const now = rc.clock.now();
  // One transaction: the daily count, the row and its audit event commit together, and (SQLite: WAL with
  // synchronous=FULL, db/open.ts) are on disk before the caller answers 250 or 202.
  await rc.store.transaction(async (tx) => {
    const limit = open.settings.dailyLimitPerUser;
    if (limit !== null && (await countAcceptedSince(tx, open.sender.userId, open.mailbox.id, now - DAY_MS)) >= limit) {
      throw refusals.daily(limit);
    }
    await insertQueuedMessage(tx, {
      id,
      userId: open.sender.userId,
      userName: open.sender.userName,
      mailboxId: open.mailbox.id,
      mailboxAddress: open.mailbox.address,
      envelopeFrom: open.mailbox.address,
      envelopeTo: recipients,
      recipientDomains: domains,
      message,
      source,
      createdAt: now,
      giveUpAt: now + rc.settings.giveUpAfterMinutes * 60_000,
    });
    await insertAuditEvent(
      tx,
      {
        at: now,
        actorKind: 'api',
        actorId: open.sender.userId,
        actorName: open.sender.userName,
        type: 'mail.accepted',
        targetUserId: open.sender.userId,
        targetName: open.sender.userName,
        outcome: 'success',
        reason: null,
        sourceIp: request.ip,
        // Never the body, the subject or a full recipient address.
        details: withNode(rc, {
          clientId: open.sender.clientId, messageId: id, mailbox: open.mailbox.address, recipients: recipients.length,
          recipientDomains: domains, size: message.length, source, method: open.sender.method,
        }),
      },
      rc.checkpointKey,
    );
  });
  rc.queued();
  return id;
}

/** Logs a refused message (or command); never content or recipients. */
export function recordRefusal(
  rc: MailRelayContext,
  request: RequestInfo,
  sender: MailSender | undefined,
  refusal: MailRefusal,
  details: Record<string, unknown>,
): Promise<void> {
  const subject = sender ? { clientId: sender.clientId, userId: sender.userId, userName: sender.userName } : {};
  return appendRefusal(rc, request, subject, refusal.reason, { reply: `${refusal.smtpCode} ${refusal.text}`, ...details });
}

/** Logs a refused login (the reason only in the log; the sender was told only that it failed). */
export function recordLoginRefusal(rc: MailRelayContext, request: RequestInfo, error: MailAuthError, method: MailAuthMethod): Promise<void> {
  return appendRefusal(rc, request, error.subject, error.reason, { stage: 'auth', method });
}

/**
 * A mail.refused event, shaped like the token server's denials (steps/record.ts: the client as the actor), but
 * appended through the core's store like every other write of the relay: a second connection writing
 * synchronously while a store transaction awaits would wait on its lock with the event loop blocked.
 */
async function appendRefusal(
  rc: MailRelayContext,
  request: RequestInfo,
  subject: { clientId?: string | null; userId?: number | null; userName?: string | null },
  reason: string,
  details: Record<string, unknown>,
): Promise<void> {
  const clientId = subject.clientId?.slice(0, 80) ?? null;
  await rc.store.transaction((tx) =>
    insertAuditEvent(
      tx,
      {
        at: rc.clock.now(),
        actorKind: 'api',
        actorId: subject.userId ?? null,
        actorName: subject.userName ?? clientId ?? 'anonymous',
        type: 'mail.refused',
        targetUserId: subject.userId ?? null,
        targetName: subject.userName ?? null,
        outcome: 'failure',
        reason,
        sourceIp: request.ip,
        details: withNode(rc, { clientId, ...details }),
      },
      rc.checkpointKey,
    ),
  );
}

export { MailRefusal };
