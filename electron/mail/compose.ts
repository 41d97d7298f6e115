import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import MailComposer, { type MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { matchMailbox } from './addresses.js';
import { refusals } from './refusals.js';

/** A mailbox the API user may send from, with what the relay applies to its messages. */
export interface SendingMailbox {
  id: number;
  address: string;
  displayName: string;
}

export interface MailboxDressing {
  replyTo: string | null;
  footerText: string | null;
  footerHtml: string | null;
}

/**
 * Headers the relay sets or must not pass on from the sender's message; the rest travel unchanged.
 * Bcc never leaves (RFC 5322 §3.6.3: its recipients are in the envelope); Sender and Reply-To follow the
 * mailbox's settings; Return-Path and Received are the receiving servers' to write.
 */
const REBUILT_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'reply-to', 'sender', 'in-reply-to', 'references',
  'content-type', 'content-transfer-encoding', 'content-disposition', 'content-id', 'mime-version', 'return-path', 'received',
]);

/** The single address of a From header, or undefined when it is missing, a group, or several addresses. */
function singleFrom(from: AddressObject | undefined): { address: string; name: string } | undefined {
  const values = from?.value ?? [];
  if (values.length !== 1 || values[0]!.group || !values[0]!.address) return undefined;
  return { address: values[0]!.address, name: values[0]!.name };
}

/**
 * The DATA-stage rule: the From header names exactly one address, it is the envelope sender's mailbox
 * (case-insensitive, internationalised addresses compared in their IDNA form). Returns the parsed message
 * for the rebuild. Refuses with 550 5.7.1 naming the allowed mailboxes' count, never the list.
 */
export async function checkFromHeader(raw: Buffer, envelopeMailbox: SendingMailbox, allowed: readonly SendingMailbox[]): Promise<ParsedMail> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { keepCidLinks: true, skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
  } catch {
    throw refusals.badMessage('The message could not be parsed');
  }
  const from = singleFrom(parsed.from);
  if (!from) throw refusals.fromMissing();
  const mailbox = matchMailbox(from.address, allowed);
  if (!mailbox) throw refusals.notYourMailbox('From header', allowed.length);
  if (mailbox.id !== envelopeMailbox.id) throw refusals.fromMismatch(allowed.length);
  return parsed;
}

/**
 * The message as the upstream gets it: the sender's content with the mailbox's settings applied (display
 * name when the From has none, Reply-To, the footer appended to the text and the HTML part), rebuilt with
 * nodemailer's MailComposer so every part stays valid MIME. URL and file access are off: content comes only
 * from the message itself.
 */
export async function dressMessage(parsed: ParsedMail, mailbox: SendingMailbox, dressing: MailboxDressing, messageId: string): Promise<Buffer> {
  const from = singleFrom(parsed.from)!;
  const passOn = parsed.headerLines
    .filter((h) => !REBUILT_HEADERS.has(h.key))
    .map((h) => ({ key: h.line.slice(0, h.line.indexOf(':')), value: h.line.slice(h.line.indexOf(':') + 1).trim(), prepared: true }));
  const options: MailComposerOptions = {
    from: { name: from.name || mailbox.displayName, address: from.address },
    to: addressText(parsed.to),
    cc: addressText(parsed.cc),
    replyTo: dressing.replyTo ?? addressText(parsed.replyTo),
    subject: parsed.subject ?? '',
    messageId: parsed.messageId ?? messageId,
    date: parsed.date ?? new Date(),
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    text: withTextFooter(parsed.text, dressing.footerText),
    html: parsed.html === false ? undefined : withHtmlFooter(parsed.html, dressing.footerHtml, dressing.footerText),
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      contentDisposition: a.contentDisposition === 'inline' ? 'inline' : 'attachment',
      cid: a.cid,
    })),
    headers: passOn,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  return compile(options);
}

export function compile(options: MailComposerOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    new MailComposer({ ...options, disableFileAccess: true, disableUrlAccess: true }).compile().build((error, message) => {
      if (error) reject(error);
      else resolve(message);
    });
  });
}

function addressText(a: AddressObject | AddressObject[] | undefined): string | undefined {
  if (!a) return undefined;
  return (Array.isArray(a) ? a : [a]).map((o) => o.text).join(', ') || undefined;
}

function withTextFooter(text: string | undefined, footer: string | null): string | undefined {
  // A message without a text part gets none: the footer goes where there is content (the HTML part).
  if (text === undefined) return undefined;
  return footer ? `${text.replace(/\s+$/, '')}\n\n${footer}\n` : text;
}

function withHtmlFooter(html: string | undefined, footerHtml: string | null, footerText: string | null): string | undefined {
  if (html === undefined) return undefined;
  const footer = footerHtml ?? (footerText ? `<p>${escapeHtml(footerText).replace(/\n/g, '<br>')}</p>` : null);
  if (!footer) return html;
  const close = html.search(/<\/body>/i);
  return close < 0 ? `${html}\n${footer}` : `${html.slice(0, close)}${footer}\n${html.slice(close)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
