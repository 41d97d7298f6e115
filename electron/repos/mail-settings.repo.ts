import type { Queryable } from '../db/store.js';
import type { UpstreamAuthKind, UpstreamTlsMode } from '../../shared/mail.dto.js';

/**
 * One row of mail_settings (migration 0120): a mailbox's e-mail settings, or the default row (mailboxId
 * null). Adding a column: also update rowToSettings and the upsert's column list.
 */
export interface MailSettingsRecord {
  mailboxId: number | null;
  upstream: {
    host: string;
    port: number;
    tls: UpstreamTlsMode;
    auth: UpstreamAuthKind;
    user: string | null;
    /** Wrapped (crypto/key-wrap.ts); unwrap only to hand to nodemailer. */
    wrappedSecret: Buffer | null;
  } | null;
  replyTo: string | null;
  footerText: string | null;
  footerHtml: string | null;
  dailyLimitPerUser: number | null;
  maxMessageBytes: number | null;
  updatedAt: number;
}

interface Row {
  mailbox_id: number | null;
  upstream_host: string | null;
  upstream_port: number | null;
  upstream_tls: UpstreamTlsMode | null;
  upstream_auth: UpstreamAuthKind | null;
  upstream_user: string | null;
  upstream_secret: Buffer | null;
  reply_to: string | null;
  footer_text: string | null;
  footer_html: string | null;
  daily_limit_per_user: number | null;
  max_message_bytes: number | null;
  updated_at: number;
}

function rowToSettings(r: Row): MailSettingsRecord {
  return {
    mailboxId: r.mailbox_id === null ? null : Number(r.mailbox_id),
    upstream:
      r.upstream_host === null
        ? null
        : {
            host: r.upstream_host,
            port: Number(r.upstream_port),
            tls: r.upstream_tls ?? 'starttls',
            auth: r.upstream_auth ?? 'none',
            user: r.upstream_user,
            wrappedSecret: r.upstream_secret === null ? null : Buffer.from(r.upstream_secret),
          },
    replyTo: r.reply_to,
    footerText: r.footer_text,
    footerHtml: r.footer_html,
    dailyLimitPerUser: r.daily_limit_per_user === null ? null : Number(r.daily_limit_per_user),
    maxMessageBytes: r.max_message_bytes === null ? null : Number(r.max_message_bytes),
    updatedAt: Number(r.updated_at),
  };
}

/** The mailbox's own settings row (mailboxId null: the default row), if one was ever saved. */
export async function findMailSettings(q: Queryable, mailboxId: number | null): Promise<MailSettingsRecord | undefined> {
  const row =
    mailboxId === null
      ? await q.get<Row>('SELECT * FROM mail_settings WHERE is_default = 1')
      : await q.get<Row>('SELECT * FROM mail_settings WHERE mailbox_id = ?', [mailboxId]);
  return row && rowToSettings(row);
}

/** Writes the whole row for the mailbox (or the default), creating it on first save. */
export async function saveMailSettings(q: Queryable, s: MailSettingsRecord): Promise<void> {
  const u = s.upstream;
  const values = [
    u?.host ?? null,
    u?.port ?? null,
    u?.tls ?? null,
    u?.auth ?? null,
    u?.user ?? null,
    u?.wrappedSecret ?? null,
    s.replyTo,
    s.footerText,
    s.footerHtml,
    s.dailyLimitPerUser,
    s.maxMessageBytes,
    s.updatedAt,
  ];
  const set = `upstream_host = ?, upstream_port = ?, upstream_tls = ?, upstream_auth = ?, upstream_user = ?,
    upstream_secret = ?, reply_to = ?, footer_text = ?, footer_html = ?, daily_limit_per_user = ?,
    max_message_bytes = ?, updated_at = ?`;
  const where = s.mailboxId === null ? 'is_default = 1' : 'mailbox_id = ?';
  const changed = await q.run(`UPDATE mail_settings SET ${set} WHERE ${where}`, s.mailboxId === null ? values : [...values, s.mailboxId]);
  if (changed.changes > 0) return;
  await q.run(
    `INSERT INTO mail_settings (mailbox_id, is_default, upstream_host, upstream_port, upstream_tls, upstream_auth, upstream_user,
       upstream_secret, reply_to, footer_text, footer_html, daily_limit_per_user, max_message_bytes, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [s.mailboxId, s.mailboxId === null ? 1 : 0, ...values],
  );
}
