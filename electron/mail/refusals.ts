/**
 * Why the relay refuses a message, with the SMTP reply it is refused with (RFC 5321 §4.2, enhanced status
 * codes RFC 3463) and the HTTP status POST /v1/mail answers. `reason` is the stable word the log records;
 * `text` is what the sender reads. Neither ever names the allowed mailboxes (only their count), a recipient
 * or anything of the message.
 */
export class MailRefusal extends Error {
  override name = 'MailRefusal';
  constructor(
    readonly reason: string,
    readonly smtpCode: number,
    readonly text: string,
    readonly httpStatus: number,
  ) {
    super(text);
  }

  /** smtp-server sends `responseCode` and the message as the reply. */
  get responseCode(): number {
    return this.smtpCode;
  }
}

const plural = (n: number) => (n === 1 ? '1 mailbox' : `${n} mailboxes`);

export const refusals = {
  notYourMailbox: (field: 'envelope sender' | 'From header', allowed: number) =>
    new MailRefusal(
      field === 'envelope sender' ? 'sender_not_assigned' : 'from_not_assigned',
      550,
      `5.7.1 The ${field} is not one of the ${plural(allowed)} this API user may send from`,
      403,
    ),
  fromMissing: () => new MailRefusal('from_missing', 550, '5.7.1 The message needs exactly one From address, one of the mailboxes this API user may send from', 400),
  fromMismatch: (allowed: number) =>
    new MailRefusal('from_differs', 550, `5.7.1 The From header names another mailbox than the envelope sender (this API user may send from ${plural(allowed)})`, 403),
  rate: (perMinute: number) =>
    new MailRefusal('rate_limited', 451, `4.7.1 Too many messages: this API user may send ${perMinute} a minute; try again shortly`, 429),
  daily: (limit: number) =>
    new MailRefusal('daily_limit', 452, `4.5.3 Daily limit reached: this API user may send ${limit} messages a day from this mailbox`, 429),
  tooBig: (max: number) => new MailRefusal('too_large', 552, `5.3.4 The message is larger than this mailbox accepts (${max} bytes)`, 413),
  tooManyRecipients: (max: number) => new MailRefusal('too_many_recipients', 452, `4.5.3 Too many recipients: at most ${max} per message`, 400),
  noRecipients: () => new MailRefusal('no_recipients', 554, '5.5.1 No valid recipients', 400),
  noUpstream: () => new MailRefusal('no_upstream', 451, '4.3.0 This mailbox has no outgoing server set up yet; ask the administrator', 503),
  loginEnded: (reason: string) =>
    new MailRefusal(reason, 530, '5.7.0 The login no longer stands (token expired or revoked, or the API user disabled); log in again', 401),
  notAllowedToSend: () => new MailRefusal('mail_not_granted', 535, '5.7.8 This API user lacks the mail:send right', 403),
  /** Our failure (the store, a bug), not the sender's: temporary, so the client keeps the message and tries again. */
  internal: () => new MailRefusal('internal_error', 451, '4.3.0 Temporary failure on our side; try again later', 500),
  badMessage: (why: string) => new MailRefusal('bad_message', 554, `5.6.0 ${why}`, 400),
} as const;
