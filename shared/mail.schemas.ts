import { z } from 'zod';
import { MAIL_STATES, UPSTREAM_AUTH_KINDS, UPSTREAM_TLS_MODES } from './mail.dto.js';
import { message as m } from './messages.js';
import { CONTROL_CHARACTER } from './text.js';

/**
 * Input schemas of the mail relay's channels (shared/contract-mail.ts). `mailboxId: null` addresses the
 * default settings every mailbox falls back to.
 */

const id = z.int(m('wholeNumber')).positive(m('positiveId'));
const mailboxScope = id.nullable();

/** The relay's hard ceiling on one message, whatever a setting says: 50 MiB. */
export const MAIL_MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

const port = z.int(m('portNumber')).min(1, m('portRange')).max(65_535, m('portRange'));
const host = z
  .string()
  .trim()
  .min(1, 'Enter the upstream server\'s host name')
  .max(255)
  .refine((v) => /^[0-9a-z.:[\]-]+$/i.test(v), m('hostFormat'));
const plainLine = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${what} is at most ${max} characters`)
    .refine((v) => !CONTROL_CHARACTER.test(v), `${what} has control characters`);
/** An address as SMTP carries it: local@domain, internationalised (RFC 6531) allowed; no display name. */
const mailAddress = plainLine('The address', 254).refine(
  (v) => /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/u.test(v),
  'Enter an address like name@example.com',
);
const footer = (what: string) =>
  z.string().max(10_000, `${what} is at most 10000 characters`).nullable();

export const mailSettingsRef = z.strictObject({ mailboxId: mailboxScope });

export const setMailSettingsInput = z.strictObject({
  mailboxId: mailboxScope,
  replyTo: mailAddress.nullable().optional(),
  footerText: footer('The text footer').optional(),
  footerHtml: footer('The HTML footer').optional(),
  dailyLimitPerUser: z.int(m('wholeNumber')).min(1).max(1_000_000).nullable().optional(),
  maxMessageBytes: z.int(m('wholeNumber')).min(1024).max(MAIL_MAX_MESSAGE_BYTES).nullable().optional(),
});

/**
 * The upstream for a mailbox (or the default). `secret` is the password or the OAuth2 bearer: omitted keeps
 * the stored one (the form never gets it back to send again), null removes it.
 */
export const setUpstreamInput = z.strictObject({
  mailboxId: mailboxScope,
  host,
  port,
  tls: z.enum(UPSTREAM_TLS_MODES),
  auth: z.enum(UPSTREAM_AUTH_KINDS),
  user: plainLine('The user name', 254).nullable().default(null),
  secret: z.string().min(1).max(8192).nullable().optional(),
});

export const testUpstreamInput = z.strictObject({ mailboxId: mailboxScope });

export const mailQueueInput = z.strictObject({
  mailboxId: id.optional(),
  state: z.enum(MAIL_STATES).optional(),
  limit: z.int().min(1).max(500).default(50),
  offset: z.int().min(0).default(0),
});

export const mailMessageRef = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'Not a message id') });

export const mailRelaySettingsPatch = z.strictObject({
  enabled: z.boolean().optional(),
  submissionPort: port.nullable().optional(),
  implicitTlsPort: port.nullable().optional(),
  ratePerMinute: z.int().min(1).max(100_000).optional(),
  maxRecipients: z.int().min(1).max(1000).optional(),
  maxMessageBytes: z.int().min(1024).max(MAIL_MAX_MESSAGE_BYTES).optional(),
  giveUpAfterMinutes: z.int().min(1).max(30 * 24 * 60).optional(),
});
