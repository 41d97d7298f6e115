import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import { ConflictError } from '../../../shared/errors.js';
import type { MailSettingsInfo, UpstreamInfo } from '../../../shared/mail.dto.js';
import { headlessKeyWrapper } from '../../crypto/key-wrap.js';
import { MailService } from '../../services/mail.service.js';
import { UsageError, type CliContext } from '../context.js';
import { fields, table, when } from '../format.js';
import { readAllStdin } from '../io.js';
import { resolveMailboxId } from '../resolve.js';

/**
 * The mail relay from the command line (issue 12): `keyrack mailboxes upstream|settings|test` for a mailbox's
 * outgoing server and e-mail settings (`default` for the ones every mailbox falls back to), and `keyrack mail
 * queue|retry|drop|relay`. Upstream secrets are read from standard input only, wrapped with the master key,
 * and never printed again.
 */

const mailService = (ctx: CliContext) => new MailService(ctx.core().deps, () => headlessKeyWrapper(ctx.dataDir, ctx.io.env));

/** A mailbox address, or `default` for the default settings (null). */
async function scopeOf(ctx: CliContext, ref: string): Promise<number | null> {
  return ref === 'default' ? null : resolveMailboxId(ctx.core(), ref);
}

const nullable = (text: string | undefined, parse: (t: string) => unknown = (t) => t) =>
  text === undefined ? undefined : text === 'none' ? null : parse(text);

function wholeNumber(option: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${option}: "${text}" is not a whole number (or "none")`);
    return Number(text);
  };
}

const describeUpstream = (u: UpstreamInfo | null) =>
  u ? `${u.host}:${u.port} (${u.tls === 'implicit' ? 'implicit TLS' : 'STARTTLS'}, ${u.auth === 'none' ? 'no login' : `${u.auth} as ${u.user}, secret ${u.secretSet ? 'set' : 'not set'}`})` : 'none';

function describeSettings(s: MailSettingsInfo): string {
  return fields([
    ['Mailbox', s.address ?? 'default (every mailbox without its own)'],
    ['Upstream', describeUpstream(s.upstream)],
    ...(s.mailboxId !== null
      ? [['Sends through', `${describeUpstream(s.effective.upstream)}${s.effective.upstreamFrom === 'default' ? ' (the default)' : ''}`] as [string, string]]
      : []),
    ['Reply-To', s.replyTo ?? 'none'],
    ['Footer (text)', s.footerText ?? 'none'],
    ['Footer (HTML)', s.footerHtml ?? 'none'],
    ['Daily limit per API user', s.effective.dailyLimitPerUser ?? 'none'],
    ['Largest message', `${s.effective.maxMessageBytes} bytes`],
  ]);
}

export function registerMailUpstream(group: Command, ctx: CliContext): void {
  const upstream = group.command('upstream').description("a mailbox's outgoing server (or `default`)");
  upstream
    .command('set <mailbox>')
    .description('set the outgoing server; the password or OAuth2 bearer is read from standard input (--secret-stdin)')
    .requiredOption('--host <host>', 'the server, e.g. smtp.office365.com')
    .requiredOption('--port <port>', '587 (STARTTLS) or 465 (implicit TLS)')
    .option('--tls <mode>', 'implicit or starttls (default: implicit on 465, else starttls)')
    .option('--auth <kind>', 'password, oauth2 or none', 'password')
    .option('--user <name>', 'the user name to log in with')
    .option('--secret-stdin', 'read the password or bearer from standard input (kept as stored when left out)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { host: string; port: string; tls?: string; auth: string; user?: string; secretStdin?: boolean; json?: boolean }) => {
      const port = wholeNumber('--port')(opts.port);
      const secret = opts.secretStdin ? await readAllStdin(ctx.io) : undefined;
      const input = parseInputOf('mail.setUpstream', {
        mailboxId: await scopeOf(ctx, ref),
        host: opts.host,
        port,
        tls: opts.tls ?? (port === 465 ? 'implicit' : 'starttls'),
        auth: opts.auth,
        user: opts.user ?? null,
        ...(secret === undefined ? {} : { secret }),
      });
      const settings = await mailService(ctx).setUpstream(ctx.actor, input);
      ctx.emit(opts.json, settings, () => `${settings.address ?? 'Default'}: upstream ${describeUpstream(settings.upstream)}.\n`);
    });
  upstream
    .command('show <mailbox>')
    .description('show the outgoing server and e-mail settings (secrets only as "set")')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const settings = await mailService(ctx).settings(ctx.actor, parseInputOf('mail.settings', { mailboxId: await scopeOf(ctx, ref) }));
      ctx.emit(opts.json, settings, () => describeSettings(settings));
    });
  upstream
    .command('clear <mailbox>')
    .description("remove a mailbox's own outgoing server: it sends through the default again")
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const settings = await mailService(ctx).clearUpstream(ctx.actor, parseInputOf('mail.clearUpstream', { mailboxId: await scopeOf(ctx, ref) }));
      ctx.emit(opts.json, settings, () => describeSettings(settings));
    });

  group
    .command('settings <mailbox>')
    .description('e-mail settings of a mailbox (or `default`): Reply-To, footer, limits; "none" removes one')
    .option('--reply-to <address>', 'the Reply-To every message gets')
    .option('--footer-text <text>', 'appended to the text part')
    .option('--footer-html <html>', 'appended to the HTML part')
    .option('--daily-limit <n>', 'messages one API user may send from it in 24 hours')
    .option('--max-size <bytes>', 'the largest message accepted')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { replyTo?: string; footerText?: string; footerHtml?: string; dailyLimit?: string; maxSize?: string; json?: boolean }) => {
      const input = parseInputOf('mail.setSettings', {
        mailboxId: await scopeOf(ctx, ref),
        replyTo: nullable(opts.replyTo),
        footerText: nullable(opts.footerText),
        footerHtml: nullable(opts.footerHtml),
        dailyLimitPerUser: nullable(opts.dailyLimit, wholeNumber('--daily-limit')),
        maxMessageBytes: nullable(opts.maxSize, wholeNumber('--max-size')),
      });
      const settings = await mailService(ctx).setSettings(ctx.actor, input);
      ctx.emit(opts.json, settings, () => describeSettings(settings));
    });

  group
    .command('test <mailbox>')
    .description("connect and log in to the mailbox's outgoing server (sends nothing)")
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const result = await mailService(ctx).testUpstream(ctx.actor, parseInputOf('mail.testUpstream', { mailboxId: await scopeOf(ctx, ref) }));
      if (opts.json) ctx.emit(true, result, () => '');
      // A failed test exits 1 with the upstream's reason, so a script can tell.
      if (!result.ok) throw new ConflictError(`Connection test failed: ${result.host}:${result.port}: ${result.message}`);
      if (!opts.json) ctx.print(`OK: ${result.host}:${result.port}: ${result.message} (${result.tookMs} ms)\n`);
    });
}

export function registerMail(program: Command, ctx: CliContext): void {
  const group = program.command('mail').description("the mail relay's queue and listeners");

  group
    .command('queue')
    .description('messages in the queue, newest first (never their content or full recipients)')
    .option('--mailbox <address>', 'only this mailbox')
    .option('--state <state>', 'queued, sending, sent or failed')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { mailbox?: string; state?: string; limit: string; json?: boolean }) => {
      const input = parseInputOf('mail.queue', {
        mailboxId: opts.mailbox === undefined ? undefined : await resolveMailboxId(ctx.core(), opts.mailbox),
        state: opts.state,
        limit: wholeNumber('--limit')(opts.limit),
      });
      const page = await mailService(ctx).queue(ctx.actor, input);
      ctx.emit(opts.json, page, () =>
        page.rows.length === 0
          ? 'The queue is empty.\n'
          : table(
              page.rows.map((r) => ({
                id: r.id,
                state: r.state,
                mailbox: r.mailbox,
                userName: r.userName,
                attempts: r.attempts,
                created: when(r.createdAt),
                to: `${r.recipientCount} (${r.recipientDomains.join(', ')})`,
                error: r.lastError ?? '',
              })),
              [
                ['id', 'ID'],
                ['state', 'State'],
                ['mailbox', 'Mailbox'],
                ['userName', 'API user'],
                ['to', 'Recipients'],
                ['attempts', 'Attempts'],
                ['created', 'Accepted'],
                ['error', 'Last error'],
              ],
            ) + (page.total > page.rows.length ? `(${page.rows.length} of ${page.total})\n` : ''),
      );
    });

  group
    .command('retry <id>')
    .description('queue a failed (or waiting) message for delivery now')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const entry = await mailService(ctx).retry(ctx.actor, parseInputOf('mail.retry', { id }));
      ctx.emit(opts.json, entry, () => `Message ${entry.id} is queued again; a running relay sends it within seconds.\n`);
    });

  group
    .command('drop <id>')
    .description('remove a message from the queue (logged)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await mailService(ctx).drop(ctx.actor, parseInputOf('mail.drop', { id }));
      ctx.emit(opts.json, { dropped: id }, () => `Removed message ${id} from the queue.\n`);
    });

  group
    .command('relay')
    .description('show or change the relay: on/off, SMTP ports ("off" closes one), limits; takes effect at the next start')
    .option('--enable', 'run the relay with the token server')
    .option('--disable', 'do not run the relay')
    .option('--submission-port <port>', 'STARTTLS submission (587), or off')
    .option('--implicit-port <port>', 'implicit TLS submission (465), or off')
    .option('--rate <n>', 'messages a minute per API user')
    .option('--max-recipients <n>', 'recipients per message')
    .option('--max-size <bytes>', 'largest message for any mailbox')
    .option('--give-up-minutes <n>', 'how long delivery is retried')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      if (opts.enable && opts.disable) throw new UsageError('give --enable or --disable, not both');
      const port = (name: string, text: unknown) => (text === undefined ? undefined : text === 'off' ? null : wholeNumber(name)(String(text)));
      const num = (name: string, text: unknown) => (text === undefined ? undefined : wholeNumber(name)(String(text)));
      const patch = Object.fromEntries(
        Object.entries({
          enabled: opts.enable ? true : opts.disable ? false : undefined,
          submissionPort: port('--submission-port', opts.submissionPort),
          implicitTlsPort: port('--implicit-port', opts.implicitPort),
          ratePerMinute: num('--rate', opts.rate),
          maxRecipients: num('--max-recipients', opts.maxRecipients),
          maxMessageBytes: num('--max-size', opts.maxSize),
          giveUpAfterMinutes: num('--give-up-minutes', opts.giveUpMinutes),
        }).filter(([, v]) => v !== undefined),
      );
      const service = mailService(ctx);
      const settings =
        Object.keys(patch).length === 0
          ? await service.relaySettings(ctx.actor)
          : await service.updateRelaySettings(ctx.actor, parseInputOf('mail.updateRelaySettings', patch));
      ctx.emit(opts.json === true, settings, () =>
        fields([
          ['Relay', settings.enabled ? 'on (starts with the token server)' : 'off'],
          ['Submission (STARTTLS)', settings.submissionPort ?? 'off'],
          ['Implicit TLS', settings.implicitTlsPort ?? 'off'],
          ['Rate per API user', `${settings.ratePerMinute} a minute`],
          ['Recipients per message', settings.maxRecipients],
          ['Largest message', `${settings.maxMessageBytes} bytes`],
          ['Give up after', `${settings.giveUpAfterMinutes} minutes`],
        ]),
      );
    });
}
