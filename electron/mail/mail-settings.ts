import type { Queryable } from '../db/store.js';
import type { MailRelaySettings, UpstreamInfo } from '../../shared/mail.dto.js';
import { MAIL_MAX_MESSAGE_BYTES } from '../../shared/mail.schemas.js';
import { findMailSettings, type MailSettingsRecord } from '../repos/mail-settings.repo.js';
import { readSetting } from '../repos/settings.repo.js';
import type { StoredUpstream } from './upstream.js';

/** The relay's own settings, under one key of the settings table; defaults for what was never saved. */
export const MAIL_RELAY_SETTINGS_KEY = 'mail.relay';

export const DEFAULT_MAIL_RELAY_SETTINGS: MailRelaySettings = {
  enabled: false,
  submissionPort: 587,
  implicitTlsPort: 465,
  ratePerMinute: 60,
  maxRecipients: 100,
  maxMessageBytes: 25 * 1024 * 1024,
  giveUpAfterMinutes: 48 * 60,
};

export async function readMailRelaySettings(q: Queryable): Promise<MailRelaySettings> {
  return { ...DEFAULT_MAIL_RELAY_SETTINGS, ...(await readSetting<Partial<MailRelaySettings>>(q, MAIL_RELAY_SETTINGS_KEY)) };
}

/** What the relay applies to one mailbox: its own settings, each missing one taken from the default row. */
export interface EffectiveMailSettings {
  upstream: StoredUpstream | null;
  upstreamFrom: 'mailbox' | 'default' | null;
  replyTo: string | null;
  footerText: string | null;
  footerHtml: string | null;
  dailyLimitPerUser: number | null;
  maxMessageBytes: number;
}

export async function effectiveMailSettings(q: Queryable, mailboxId: number, relay: Pick<MailRelaySettings, 'maxMessageBytes'>): Promise<EffectiveMailSettings> {
  const own = await findMailSettings(q, mailboxId);
  const fallback = await findMailSettings(q, null);
  return combine(own, fallback, relay.maxMessageBytes);
}

export function combine(own: MailSettingsRecord | undefined, fallback: MailSettingsRecord | undefined, relayMax: number): EffectiveMailSettings {
  const upstream = own?.upstream ?? fallback?.upstream ?? null;
  const ceiling = Math.min(relayMax, MAIL_MAX_MESSAGE_BYTES);
  return {
    upstream,
    upstreamFrom: own?.upstream ? 'mailbox' : fallback?.upstream ? 'default' : null,
    replyTo: own?.replyTo ?? fallback?.replyTo ?? null,
    footerText: own?.footerText ?? fallback?.footerText ?? null,
    footerHtml: own?.footerHtml ?? fallback?.footerHtml ?? null,
    dailyLimitPerUser: own?.dailyLimitPerUser ?? fallback?.dailyLimitPerUser ?? null,
    maxMessageBytes: Math.min(own?.maxMessageBytes ?? fallback?.maxMessageBytes ?? ceiling, ceiling),
  };
}

/** The upstream as the admin sees it: the secret only as "set". */
export function upstreamInfo(up: StoredUpstream | null): UpstreamInfo | null {
  return up && { host: up.host, port: up.port, tls: up.tls, auth: up.auth, user: up.user, secretSet: up.wrappedSecret !== null };
}
