import { takes } from './channel-spec.js';
import type * as D from './mail.dto.js';
import * as S from './mail.schemas.js';
import { emptyInput } from './schemas.js';

/**
 * The mail relay (issue 12): each mailbox's upstream and e-mail settings (or the default ones, mailboxId
 * null), the connection test, the queue and its counts, and the relay's own listeners. Reads need no
 * permission beyond being logged in; changes need mailboxes.manage (the relay settings: server.manage).
 */
export const mailChannels = {
  /** A mailbox's e-mail settings (mailboxId null: the default), with what the relay applies after fallback. */
  'mail.settings': takes(S.mailSettingsRef).returns<D.MailSettingsInfo>(),
  'mail.setSettings': takes(S.setMailSettingsInput).returns<D.MailSettingsInfo>(),
  /** Sets the upstream; the secret is stored wrapped and never returned (omit it to keep the stored one). */
  'mail.setUpstream': takes(S.setUpstreamInput).returns<D.MailSettingsInfo>(),
  /** A mailbox's own upstream removed: it sends through the default again. */
  'mail.clearUpstream': takes(S.mailSettingsRef).returns<D.MailSettingsInfo>(),
  /** Connects and logs in to the mailbox's effective upstream (nodemailer verify); sends nothing. */
  'mail.testUpstream': takes(S.testUpstreamInput).returns<D.UpstreamTestResult>(),
  /** Per mailbox: queued, sending, sent and failed counts and the last error (Mailboxes page, Overview). */
  'mail.stats': takes(emptyInput).returns<D.MailboxMailStats[]>(),
  'mail.queue': takes(S.mailQueueInput).returns<D.MailQueuePage>(),
  /** A failed (or waiting) message queued again for delivery now. */
  'mail.retry': takes(S.mailMessageRef).returns<D.MailQueueEntry>(),
  /** A message that is not being sent removed from the queue (logged). */
  'mail.drop': takes(S.mailMessageRef).returns<null>(),
  'mail.relayStatus': takes(emptyInput).returns<D.MailRelayStatus>(),
  /** Saves the relay's listeners and limits; a running relay restarts with them. */
  'mail.updateRelaySettings': takes(S.mailRelaySettingsPatch).returns<D.MailRelayStatus>(),
} as const;
