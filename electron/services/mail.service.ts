import type { ParsedInputOf } from '../../shared/contract.js';
import type { MailboxMailStats, MailQueueEntry, MailQueuePage, MailRelaySettings, MailSettingsInfo, UpstreamTestResult } from '../../shared/mail.dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import type { Queryable } from '../db/store.js';
import { combine, MAIL_RELAY_SETTINGS_KEY, readMailRelaySettings, upstreamInfo } from '../mail/mail-settings.js';
import { testUpstream, type UpstreamConnectOptions } from '../mail/upstream.js';
import { findMailbox } from '../repos/mailboxes.repo.js';
import {
  deleteQueuedMessage,
  findQueueEntry,
  listQueueEntries,
  queueCountsByMailbox,
  requeueMessage,
} from '../repos/mail-queue.repo.js';
import { findMailSettings, saveMailSettings, type MailSettingsRecord } from '../repos/mail-settings.repo.js';
import { writeSetting } from '../repos/settings.repo.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** A mailbox is listed as failing when it has given messages up, or messages waiting after failed attempts. */
const FAILING_RETRIES = 1;

/**
 * The mail relay's administration (issue 12): each mailbox's upstream and e-mail settings and the default
 * ones, the connection test, the queue. Upstream secrets are wrapped with the key wrapper the signing keys
 * use (the master key headless, the OS keychain in the app) and never returned: only "set".
 */
export class MailService {
  constructor(
    private readonly deps: ServiceDeps,
    /** The process's key wrapper; undefined where none is held (then secrets can be neither stored nor used). */
    private readonly wrapper: () => KeyWrapper | undefined,
    private readonly connect: UpstreamConnectOptions = {},
  ) {}

  async settings(actor: Actor, { mailboxId }: ParsedInputOf<'mail.settings'>): Promise<MailSettingsInfo> {
    await authorize(this.deps, actor, null, 'mail.settings_changed');
    return this.describe(mailboxId);
  }

  async setSettings(actor: Actor, input: ParsedInputOf<'mail.setSettings'>): Promise<MailSettingsInfo> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mail.settings_changed');
    const address = await this.requireScope(input.mailboxId);
    const changed = Object.keys(input).filter((k) => k !== 'mailboxId');
    await this.deps.store.transaction(async (tx) => {
      const row = await this.rowFor(tx, input.mailboxId);
      if (input.replyTo !== undefined) row.replyTo = input.replyTo;
      if (input.footerText !== undefined) row.footerText = input.footerText === '' ? null : input.footerText;
      if (input.footerHtml !== undefined) row.footerHtml = input.footerHtml === '' ? null : input.footerHtml;
      if (input.dailyLimitPerUser !== undefined) row.dailyLimitPerUser = input.dailyLimitPerUser;
      if (input.maxMessageBytes !== undefined) row.maxMessageBytes = input.maxMessageBytes;
      await saveMailSettings(tx, row);
      await recordEvent(tx, this.deps, actor, {
        type: 'mail.settings_changed',
        details: { mailboxId: input.mailboxId, address, changed },
      });
    });
    return this.describe(input.mailboxId);
  }

  async setUpstream(actor: Actor, input: ParsedInputOf<'mail.setUpstream'>): Promise<MailSettingsInfo> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mail.settings_changed');
    const address = await this.requireScope(input.mailboxId);
    if (input.auth !== 'none' && !input.user) {
      throw new ValidationError({ user: 'A user name is needed to log in to the upstream' });
    }
    // Wrapped before the transaction: a missing key fails the call without touching the store.
    const wrapped = input.secret ? this.requireWrapper().wrap(Buffer.from(input.secret, 'utf8')) : undefined;
    await this.deps.store.transaction(async (tx) => {
      const row = await this.rowFor(tx, input.mailboxId);
      const kept = input.secret === undefined && input.auth !== 'none' ? (row.upstream?.wrappedSecret ?? null) : null;
      row.upstream = {
        host: input.host,
        port: input.port,
        tls: input.tls,
        auth: input.auth,
        user: input.auth === 'none' ? null : input.user,
        wrappedSecret: input.auth === 'none' ? null : (wrapped ?? kept),
      };
      await saveMailSettings(tx, row);
      await recordEvent(tx, this.deps, actor, {
        type: 'mail.settings_changed',
        // Never the secret; only whether this change set one.
        details: {
          mailboxId: input.mailboxId, address, upstream: `${input.host}:${input.port}`, tls: input.tls, auth: input.auth,
          secretChanged: input.secret !== undefined, wrappedWith: wrapped ? this.requireWrapper().description : null,
        },
      });
    });
    return this.describe(input.mailboxId);
  }

  async clearUpstream(actor: Actor, { mailboxId }: ParsedInputOf<'mail.clearUpstream'>): Promise<MailSettingsInfo> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mail.settings_changed');
    const address = await this.requireScope(mailboxId);
    await this.deps.store.transaction(async (tx) => {
      const row = await findMailSettings(tx, mailboxId);
      if (!row?.upstream) return;
      await saveMailSettings(tx, { ...row, upstream: null, updatedAt: this.deps.clock.now() });
      await recordEvent(tx, this.deps, actor, { type: 'mail.settings_changed', details: { mailboxId, address, upstream: null } });
    });
    return this.describe(mailboxId);
  }

  async testUpstream(actor: Actor, { mailboxId }: ParsedInputOf<'mail.testUpstream'>): Promise<UpstreamTestResult> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mail.settings_changed');
    await this.requireScope(mailboxId);
    const relay = await readMailRelaySettings(this.deps.store);
    const own = mailboxId === null ? undefined : await findMailSettings(this.deps.store, mailboxId);
    const effective = combine(own, await findMailSettings(this.deps.store, null), relay.maxMessageBytes);
    if (!effective.upstream) throw new ConflictError('No outgoing server is set for this mailbox, nor a default one');
    return testUpstream(effective.upstream, this.wrapper(), this.connect);
  }

  async stats(actor: Actor): Promise<MailboxMailStats[]> {
    await authorize(this.deps, actor, null, 'mail.settings_changed');
    const counts = await queueCountsByMailbox(this.deps.store);
    return counts.map(({ retrying, ...c }) => ({
      ...c,
      failing: (c.failed > 0 && (c.lastSentAt === null || (c.lastErrorAt ?? 0) > c.lastSentAt)) || retrying >= FAILING_RETRIES,
    }));
  }

  async queue(actor: Actor, input: ParsedInputOf<'mail.queue'>): Promise<MailQueuePage> {
    await authorize(this.deps, actor, null, 'mail.settings_changed');
    return listQueueEntries(this.deps.store, { mailboxId: input.mailboxId, state: input.state }, input.limit, input.offset);
  }

  async retry(actor: Actor, { id }: ParsedInputOf<'mail.retry'>): Promise<MailQueueEntry> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mail.retried');
    const relay = await readMailRelaySettings(this.deps.store);
    await this.deps.store.transaction(async (tx) => {
      const entry = await findQueueEntry(tx, id);
      if (!entry) throw new NotFoundError(`Message ${id}`);
      const now = this.deps.clock.now();
      if (!(await requeueMessage(tx, id, now, now + relay.giveUpAfterMinutes * 60_000))) {
        throw new ConflictError(`Message ${id} is ${entry.state}; only a failed or waiting message can be retried`);
      }
      await recordEvent(tx, this.deps, actor, { type: 'mail.retried', details: { messageId: id, mailbox: entry.mailbox, previousState: entry.state } });
    });
    return (await findQueueEntry(this.deps.store, id))!;
  }

  async drop(actor: Actor, { id }: ParsedInputOf<'mail.drop'>): Promise<null> {
    await authorize(this.deps, actor, 'mailboxes.manage', 'mail.dropped');
    await this.deps.store.transaction(async (tx) => {
      const entry = await findQueueEntry(tx, id);
      if (!entry) throw new NotFoundError(`Message ${id}`);
      if (!(await deleteQueuedMessage(tx, id))) throw new ConflictError(`Message ${id} is being sent right now; try again in a moment`);
      await recordEvent(tx, this.deps, actor, {
        type: 'mail.dropped',
        details: { messageId: id, mailbox: entry.mailbox, state: entry.state, recipientDomains: entry.recipientDomains },
      });
    });
    return null;
  }

  async relaySettings(actor: Actor): Promise<MailRelaySettings> {
    await authorize(this.deps, actor, null, 'settings.changed');
    return readMailRelaySettings(this.deps.store);
  }

  async updateRelaySettings(actor: Actor, patch: ParsedInputOf<'mail.updateRelaySettings'>): Promise<MailRelaySettings> {
    await authorize(this.deps, actor, 'server.manage', 'settings.changed');
    return this.deps.store.transaction(async (tx) => {
      const next = { ...(await readMailRelaySettings(tx)), ...patch };
      if (next.submissionPort !== null && next.submissionPort === next.implicitTlsPort) {
        throw new ValidationError({ implicitTlsPort: 'The two submission ports must differ' });
      }
      await writeSetting(tx, MAIL_RELAY_SETTINGS_KEY, next);
      await recordEvent(tx, this.deps, actor, { type: 'settings.changed', details: { area: 'mail relay', changed: Object.keys(patch) } });
      return next;
    });
  }

  private async describe(mailboxId: number | null): Promise<MailSettingsInfo> {
    const q = this.deps.store;
    const mailbox = mailboxId === null ? undefined : await findMailbox(q, mailboxId);
    const own = await findMailSettings(q, mailboxId);
    const fallback = mailboxId === null ? undefined : await findMailSettings(q, null);
    const relay = await readMailRelaySettings(q);
    const effective = combine(own, fallback, relay.maxMessageBytes);
    return {
      mailboxId,
      address: mailbox?.address ?? null,
      displayName: mailbox?.displayName ?? null,
      upstream: upstreamInfo(own?.upstream ?? null),
      replyTo: own?.replyTo ?? null,
      footerText: own?.footerText ?? null,
      footerHtml: own?.footerHtml ?? null,
      dailyLimitPerUser: own?.dailyLimitPerUser ?? null,
      maxMessageBytes: own?.maxMessageBytes ?? null,
      effective: {
        upstream: upstreamInfo(effective.upstream),
        upstreamFrom: effective.upstreamFrom,
        dailyLimitPerUser: effective.dailyLimitPerUser,
        maxMessageBytes: effective.maxMessageBytes,
      },
      updatedAt: own?.updatedAt ?? null,
    };
  }

  /** The mailbox's address (null for the default settings); NotFound for a mailbox that does not exist. */
  private async requireScope(mailboxId: number | null): Promise<string | null> {
    if (mailboxId === null) return null;
    const mailbox = await findMailbox(this.deps.store, mailboxId);
    if (!mailbox) throw new NotFoundError(`Mailbox ${mailboxId}`);
    return mailbox.address;
  }

  private async rowFor(tx: Queryable, mailboxId: number | null): Promise<MailSettingsRecord> {
    const row = (await findMailSettings(tx, mailboxId)) ?? {
      mailboxId,
      upstream: null,
      replyTo: null,
      footerText: null,
      footerHtml: null,
      dailyLimitPerUser: null,
      maxMessageBytes: null,
      updatedAt: 0,
    };
    row.updatedAt = this.deps.clock.now();
    return row;
  }

  private requireWrapper(): KeyWrapper {
    const wrapper = this.wrapper();
    if (!wrapper) throw new ConflictError('This process holds no key to wrap the secret with (master key or OS keychain)');
    return wrapper;
  }
}
