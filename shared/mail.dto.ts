/**
 * What the mail relay's admin channels return (shared/contract-mail.ts). Secrets (the upstream's password or
 * OAuth2 bearer) never come back: a DTO says only whether one is set.
 */

/** How Keyrack connects to an upstream: TLS from the first byte (465), or STARTTLS required (587). */
export const UPSTREAM_TLS_MODES = ['implicit', 'starttls'] as const;
export type UpstreamTlsMode = (typeof UPSTREAM_TLS_MODES)[number];

/** How Keyrack logs in to the upstream: a password, an OAuth2 bearer (XOAUTH2), or not at all (an IP-based relay). */
export const UPSTREAM_AUTH_KINDS = ['password', 'oauth2', 'none'] as const;
export type UpstreamAuthKind = (typeof UPSTREAM_AUTH_KINDS)[number];

export const MAIL_STATES = ['queued', 'sending', 'sent', 'failed'] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** The office's outgoing server as the admin set it; the secret only as "set" or not. */
export interface UpstreamInfo {
  host: string;
  port: number;
  tls: UpstreamTlsMode;
  auth: UpstreamAuthKind;
  user: string | null;
  /** Whether a password or bearer is stored (wrapped at rest, never shown again). */
  secretSet: boolean;
}

/**
 * A mailbox's e-mail settings, or the default ones (mailboxId null) that every mailbox without its own
 * upstream or limits uses. `effective*` fields say what the relay really applies to this mailbox.
 */
export interface MailSettingsInfo {
  /** null: the default settings. */
  mailboxId: number | null;
  address: string | null;
  /** The mailbox's display name (the From: name the relay does not rewrite, shown on the E-Mail tab). */
  displayName: string | null;
  /** This row's own upstream; null: it uses the default's (or, for the default, none is set yet). */
  upstream: UpstreamInfo | null;
  replyTo: string | null;
  footerText: string | null;
  footerHtml: string | null;
  /** Messages one API user may send from this mailbox in 24 hours; null: no limit (or the default's). */
  dailyLimitPerUser: number | null;
  /** Largest accepted message in bytes; null: the default's, or the relay's built-in maximum. */
  maxMessageBytes: number | null;
  /** What the relay applies to this mailbox after falling back to the default. */
  effective: {
    upstream: UpstreamInfo | null;
    upstreamFrom: 'mailbox' | 'default' | null;
    dailyLimitPerUser: number | null;
    maxMessageBytes: number;
  };
  updatedAt: number | null;
}

/** One mailbox's queue as the Mailboxes page and the Overview's "failing mailboxes" show it. */
export interface MailboxMailStats {
  mailboxId: number;
  address: string;
  queued: number;
  /** Being handed to the upstream right now. */
  sending: number;
  sent: number;
  failed: number;
  /** The newest failure's reason (an upstream reply or a connection error), null when none. */
  lastError: string | null;
  lastErrorAt: number | null;
  lastSentAt: number | null;
  /** A message given up on more recently than the last one sent, or retries piling up: listed as failing. */
  failing: boolean;
}

/** One message of the queue, without its content: never the body, subject or full recipient addresses. */
export interface MailQueueEntry {
  id: string;
  mailboxId: number | null;
  mailbox: string;
  userId: number | null;
  userName: string;
  recipientCount: number;
  recipientDomains: string[];
  size: number;
  state: MailState;
  attempts: number;
  nextAttemptAt: number | null;
  giveUpAt: number;
  lastError: string | null;
  upstreamReply: string | null;
  source: 'smtp' | 'http';
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

export interface MailQueuePage {
  total: number;
  rows: MailQueueEntry[];
}

/** What a connection test (nodemailer verify) to an upstream found. */
export interface UpstreamTestResult {
  ok: boolean;
  host: string;
  port: number;
  /** The server's greeting or the reason it failed (never the secret). */
  message: string;
  tookMs: number;
}

/** The relay's own listeners and limits (one set for the whole relay, beside the token server's settings). */
export interface MailRelaySettings {
  enabled: boolean;
  /** SMTP submission with STARTTLS required (RFC 6409), normally 587; null: off. */
  submissionPort: number | null;
  /** Implicit TLS submission (RFC 8314), normally 465; null: off. */
  implicitTlsPort: number | null;
  /** Per API user: messages a minute, over all its mailboxes. */
  ratePerMinute: number;
  maxRecipients: number;
  /** The largest message any mailbox accepts (a mailbox may set less). */
  maxMessageBytes: number;
  /** How long delivery is retried before a message is given up on. */
  giveUpAfterMinutes: number;
}

export interface MailRelayStatus {
  settings: MailRelaySettings;
  running: boolean;
  /** plain: loopback only, when the token server runs without TLS (a test, a local integration). */
  listening: { port: number; tls: 'implicit' | 'starttls' | 'plain' }[];
  lastError: string | null;
}
