import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import type { UserDetail, UserSummary } from '../../../shared/dto.js';
import { USER_SORTS } from '../../../shared/schemas.js';
import { snapshotInfoReader } from '../../ranges/store.js';
import { OverviewService } from '../../services/overview.service.js';
import { exportUserList } from '../../services/user-list-export.js';
import { collect, parsePositiveInt, parseWhen, UsageError, type CliContext } from '../context.js';
import { fields, table, when } from '../format.js';
import { resolveGroupId, resolveGroupIds, resolveMailboxIds, resolveUserId } from '../resolve.js';
import { saveToPath } from '../save-to-path.js';
import { credentialFileWriter, withCredentialFileOptions, writtenText, type CredentialFileOptions } from './credentials.js';

interface CreateOptions {
  name: string;
  email?: string;
  description?: string;
  group?: string[];
  mailbox?: string[];
  allow?: string[];
  expires?: string;
  json?: boolean;
}

export function registerApiUsers(program: Command, ctx: CliContext): void {
  const group = program.command('api-users').description('API users: accounts for integrations, one each');

  const create = group
    .command('create')
    .description('create an API user; prints its client id and secret (the only time the secret is shown), and with --out writes its credential file')
    .requiredOption('--name <name>', 'what the integration is called')
    .option('--email <email>', 'a contact address for the integration')
    .option('--description <text>', 'which integration this is for')
    .option('--group <group>', 'a group to join (repeatable)', collect)
    .option('--mailbox <address>', 'a mailbox it may send from (repeatable)', collect)
    .option('--allow <entry>', 'IP, CIDR, or AWS|GOOGLE|AZURE|CLOUDFLARE|DIGITAL_OCEAN (repeatable)', collect)
    .option('--expires <date>', 'when the account stops working (2027-01-31, or 90d)')
    .option('--json', 'print JSON');
  withCredentialFileOptions(create).action(async (opts: CreateOptions & CredentialFileOptions) => {
    const core = ctx.core();
    const now = core.deps.clock.now();
    // Settled first, so a file that cannot be written creates no API user.
    const writer = opts.out === undefined ? undefined : await credentialFileWriter(ctx, { ...opts, out: opts.out });
    const created = await core.users.createApiUser(
      ctx.actor,
      parseInputOf('users.createApiUser', {
        name: opts.name,
        email: opts.email,
        description: opts.description,
        groupIds: await resolveGroupIds(core, opts.group ?? []),
        mailboxIds: await resolveMailboxIds(core, opts.mailbox ?? []),
        allowlist: opts.allow ?? [],
        expiresAt: opts.expires === undefined ? undefined : parseWhen(opts.expires, now, '--expires'),
      }),
    );
    const file = writer ? await writer.write(created.user.id, created.secret) : undefined;
    ctx.emit(opts.json, file ? { ...created, file } : created, () =>
      fields([
        ['Name', created.user.name],
        ['Client id', created.clientId],
        ['Client secret', created.secret],
      ]) +
      '\nStore the secret now: Keyrack keeps only a hash and will not show it again.\n' +
      (file ? writtenText(file) : ''),
    );
  });

  group
    .command('list')
    .description('list API users')
    .option('--search <text>', 'match name, email, description or client id')
    .option('--status <status>', 'active | disabled | expired')
    .option('--group <group>', 'only members of this group')
    .option('--sort <key>', `${USER_SORTS.join(' | ')}`, 'name')
    .option('--desc', 'newest / largest first')
    .option('--page <n>', 'page number', '1')
    .option('--page-size <n>', 'rows a page', '50')
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const core = ctx.core();
      const page = await core.users.list(
        ctx.actor,
        parseInputOf('users.list', {
          kind: 'api',
          search: opts.search,
          status: opts.status,
          groupId: typeof opts.group === 'string' ? await resolveGroupId(core, opts.group) : undefined,
          sort: opts.sort,
          order: opts.desc ? 'desc' : 'asc',
          page: parsePositiveInt(String(opts.page), '--page'),
          pageSize: parsePositiveInt(String(opts.pageSize), '--page-size'),
        }),
      );
      ctx.emit(opts.json === true, page, () => `${summaryTable(page.rows)}${page.total} API user(s)\n`);
    });

  group
    .command('show <user>')
    .description('show one API user (by name, client id or id)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const id = await resolveUserId(core, ref);
      const user = await core.users.show(ctx.actor, parseInputOf('users.show', { id }));
      const rights = await core.users.effectiveRights(ctx.actor, parseInputOf('users.effectiveRights', { id }));
      ctx.emit(opts.json, { ...user, effectiveRights: rights }, () => detail(user) + fields([['Scopes', rights.scopes.join(' ')]]));
    });

  for (const [verb, description] of [
    ['disable', 'stop an API user from getting tokens (reversible)'],
    ['enable', 'let a disabled API user get tokens again'],
  ] as const) {
    group
      .command(`${verb} <user>`)
      .description(description)
      .option('--json', 'print JSON')
      .action(async (ref: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const user = await core.users[verb](ctx.actor, parseInputOf(`users.${verb}`, { id: await resolveApiUser(ctx, ref) }));
        ctx.emit(opts.json, user, () => `${user.name} is now ${user.status}.\n`);
      });
  }

  group
    .command('expiring')
    .description('secrets and API user accounts that expire within the next days (for scripts and monitoring)')
    .option('--days <n>', 'how many days ahead', '14')
    .option('--json', 'print JSON')
    .action(async (opts: { days: string; json?: boolean }) => {
      const core = ctx.core();
      // The snapshot reader is lazy: `expiring` never reads the provider ranges.
      const overview = new OverviewService(core.deps, snapshotInfoReader(core.ranges));
      const list = await overview.expiring(ctx.actor, parseInputOf('users.expiring', { days: parsePositiveInt(opts.days, '--days') }));
      ctx.emit(opts.json, list, () =>
        table(
          list.map((c) => ({
            name: c.userName,
            clientId: c.clientId,
            what: c.kind === 'user' ? 'account' : `secret ${c.secretId} (${c.label})`,
            expires: when(c.expiresAt),
            days: c.daysLeft,
          })),
          [
            ['name', 'Name'],
            ['clientId', 'Client id'],
            ['what', 'Expiring'],
            ['expires', 'Expires'],
            ['days', 'Days left'],
          ],
        ),
      );
    });

  addDeleteCommand(group, ctx, 'api');

  addExportCommand(group, ctx, 'api');

  addUpdateCommand(group, ctx, 'api');

  group
    .command('set-allowlist <user>')
    .description('replace the addresses an API user may call from (none: any address, unless the policy requires a list)')
    .option('--allow <entry>', 'IP, CIDR, or AWS|GOOGLE|AZURE|CLOUDFLARE|DIGITAL_OCEAN (repeatable)', collect)
    .option('--clear', 'remove every entry')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { allow?: string[]; clear?: boolean; json?: boolean }) => {
      const entries = listFlag(opts.allow, opts.clear, '--allow');
      const user = await ctx.core().users.setAllowlist(ctx.actor, parseInputOf('users.setAllowlist', { id: await resolveApiUser(ctx, ref), entries }));
      ctx.emit(opts.json, user, () => detail(user));
    });

  group
    .command('set-groups <user>')
    .description('replace the groups an API user is in (its rights come from them)')
    .option('--group <group>', 'a group (repeatable)', collect)
    .option('--clear', 'in no group')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { group?: string[]; clear?: boolean; json?: boolean }) => {
      const core = ctx.core();
      const groupIds = await resolveGroupIds(core, listFlag(opts.group, opts.clear, '--group'));
      const user = await core.users.setGroups(ctx.actor, parseInputOf('users.setGroups', { id: await resolveApiUser(ctx, ref), groupIds }));
      ctx.emit(opts.json, user, () => detail(user));
    });

  group
    .command('set-mailboxes <user>')
    .description('replace the mailboxes an API user may send from')
    .option('--mailbox <address>', 'a mailbox (repeatable)', collect)
    .option('--clear', 'no mailbox')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { mailbox?: string[]; clear?: boolean; json?: boolean }) => {
      const core = ctx.core();
      const mailboxIds = await resolveMailboxIds(core, listFlag(opts.mailbox, opts.clear, '--mailbox'));
      const user = await core.users.setMailboxes(ctx.actor, parseInputOf('users.setMailboxes', { id: await resolveApiUser(ctx, ref), mailboxIds }));
      ctx.emit(opts.json, user, () => detail(user));
    });
}

/** A repeatable flag that replaces a whole list: the entries, or `--clear` for none (never both, never neither). */
export function listFlag(values: string[] | undefined, clear: boolean | undefined, flag: string): string[] {
  if (values && clear) throw new UsageError(`give ${flag} or --clear, not both`);
  if (!values && !clear) throw new UsageError(`give ${flag} (repeatable) for the new list, or --clear for none`);
  return values ?? [];
}

interface UpdateOptions {
  name?: string;
  email?: string;
  description?: string;
  expires?: string;
  tokenLifetime?: string;
  json?: boolean;
}

/**
 * `<group> update <user>`: the profile fields users.update takes. `none` clears the email, `never` the
 * expiry, `default` the API user's own token lifetime (the server's setting applies again).
 */
export function addUpdateCommand(group: Command, ctx: CliContext, kind: 'api' | 'person'): void {
  const command = group
    .command('update <user>')
    .description(kind === 'api' ? "change an API user's name, email, description, expiry or token lifetime" : "change a person's name, email or expiry")
    .option('--name <name>', 'the new name')
    .option('--email <email>', 'a contact address (none: remove it)')
    .option('--description <text>', 'which integration this is for');
  command.option('--expires <date>', 'when the account stops working (2027-01-31, 90d, or never)');
  if (kind === 'api') command.option('--token-lifetime <seconds>', "this user's access token lifetime (default: the server's)");
  command.option('--json', 'print JSON').action(async (ref: string, opts: UpdateOptions) => {
    const core = ctx.core();
    const id = kind === 'api' ? await resolveApiUser(ctx, ref) : await resolvePerson(ctx, ref);
    const now = core.deps.clock.now();
    const input: Record<string, unknown> = { id };
    if (opts.name !== undefined) input.name = opts.name;
    if (opts.email !== undefined) input.email = opts.email.trim().toLowerCase() === 'none' ? null : opts.email;
    if (opts.description !== undefined) input.description = opts.description;
    if (opts.expires !== undefined) input.expiresAt = opts.expires.trim().toLowerCase() === 'never' ? null : parseWhen(opts.expires, now, '--expires');
    if (opts.tokenLifetime !== undefined) {
      input.tokenLifetimeSeconds = opts.tokenLifetime.trim().toLowerCase() === 'default' ? null : parsePositiveInt(opts.tokenLifetime, '--token-lifetime');
    }
    if (Object.keys(input).length === 1) throw new UsageError('give at least one field to change (see --help)');
    const user = await core.users.update(ctx.actor, parseInputOf('users.update', input));
    ctx.emit(opts.json, user, () => detail(user));
  });
}

/** The most users one export holds: the channel's bound (users.export), the same for the app and the CLI. */
const MOST_EXPORTED = 500;

/**
 * `api-users export` and `people export`: the named users (all of the kind when none is named) as the CSV
 * file the Users page exports, through the same service, so the file and its log event are the same.
 */
export function addExportCommand(group: Command, ctx: CliContext, kind: 'api' | 'person'): void {
  group
    .command('export [users...]')
    .description(
      kind === 'api'
        ? 'write API users (all, or those named) to a CSV file for a spreadsheet; no secret is in it'
        : 'write people (all, or those named) to a CSV file for a spreadsheet',
    )
    .requiredOption('--out <file>', 'where to write the CSV file (mode 0600)')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print JSON')
    .action(async (refs: string[], opts: { out: string; force?: boolean; json?: boolean }) => {
      const core = ctx.core();
      const ids = refs.length > 0 ? await resolveUsersOfKind(ctx, kind, refs) : await allIdsOfKind(ctx, kind);
      if (ids.length === 0) throw new UsageError(kind === 'api' ? 'there are no API users to export' : 'there are no people to export');
      const saved = await exportUserList(core, { saveFile: saveToPath(opts.out, Boolean(opts.force)) }, ctx.actor, parseInputOf('users.export', { ids }));
      if (!saved.saved) throw new Error('the file was not written');
      ctx.emit(opts.json, { path: saved.path, count: ids.length }, () => `Wrote ${saved.path} (${ids.length} ${kind === 'api' ? 'API user(s)' : 'person(s)'}, mode 0600).\n`);
    });
}

async function resolveUsersOfKind(ctx: CliContext, kind: 'api' | 'person', refs: readonly string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const ref of refs) ids.push(kind === 'api' ? await resolveApiUser(ctx, ref) : await resolvePerson(ctx, ref));
  return ids;
}

async function allIdsOfKind(ctx: CliContext, kind: 'api' | 'person'): Promise<number[]> {
  const core = ctx.core();
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const { rows } = await core.users.list(ctx.actor, parseInputOf('users.list', { kind, page, pageSize: 200 }));
    ids.push(...rows.map((u) => u.id));
    if (ids.length > MOST_EXPORTED) {
      throw new UsageError(`there are more than ${MOST_EXPORTED} to export at once: name the ones to export (at most ${MOST_EXPORTED})`);
    }
    if (rows.length < 200) return ids;
  }
}

/** `api-users delete` and `people delete`: one command, the kind decides which users it may name. */
export function addDeleteCommand(group: Command, ctx: CliContext, kind: 'api' | 'person'): void {
  group
    .command('delete <user>')
    .description(kind === 'api' ? 'delete an API user and its secrets; its log history stays' : 'delete a person; their log history stays')
    .requiredOption('--yes', 'confirm: this cannot be undone')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const id = kind === 'api' ? await resolveApiUser(ctx, ref) : await resolvePerson(ctx, ref);
      const { name } = await core.users.show(ctx.actor, parseInputOf('users.show', { id }));
      await core.users.delete(ctx.actor, parseInputOf('users.delete', { id }));
      ctx.emit(opts.json, { deleted: { id, name } }, () => `Deleted ${name}.\n`);
    });
}

export async function resolvePerson(ctx: CliContext, ref: string): Promise<number> {
  const core = ctx.core();
  const id = await resolveUserId(core, ref);
  if ((await core.users.show(ctx.actor, parseInputOf('users.show', { id }))).kind !== 'person') throw new UsageError(`${ref} is an API user, not a person`);
  return id;
}

/** The API user a reference names; people are refused so `api-users delete` cannot remove an admin. */
export async function resolveApiUser(ctx: CliContext, ref: string): Promise<number> {
  const core = ctx.core();
  const id = await resolveUserId(core, ref);
  if ((await core.users.show(ctx.actor, parseInputOf('users.show', { id }))).kind !== 'api') throw new UsageError(`${ref} is a person, not an API user`);
  return id;
}

function summaryTable(rows: UserSummary[]): string {
  return table(
    rows.map((u) => ({
      name: u.name,
      clientId: u.clientId,
      status: u.expired ? 'expired' : u.status,
      groups: u.groups.map((g) => g.name).join(', '),
      lastUsed: u.lastUsedAt ? `${when(u.lastUsedAt)} from ${u.lastUsedIp}` : 'never',
      nextExpiry: when(u.nextSecretExpiry),
    })),
    [
      ['name', 'Name'],
      ['clientId', 'Client id'],
      ['status', 'Status'],
      ['groups', 'Groups'],
      ['lastUsed', 'Last used'],
      ['nextExpiry', 'Secret expires'],
    ],
  );
}

function tokenLifetimeField(u: UserDetail): [string, string] {
  return ['Token lifetime', u.tokenLifetimeSeconds === null ? "the server's setting" : `${u.tokenLifetimeSeconds} s`];
}

export function detail(u: UserDetail): string {
  return fields([
    ['Name', u.name],
    ['Kind', u.kind === 'api' ? 'API user' : 'person'],
    ['Client id', u.clientId],
    ['Status', u.expired ? 'expired' : u.status],
    ['Email', u.email],
    ['Description', u.description],
    ['Expires', when(u.expiresAt)],
    ...(u.kind === 'api' ? [tokenLifetimeField(u)] : []),
    ['Groups', u.groups.map((g) => g.name).join(', ')],
    ['Mailboxes', u.mailboxes.map((m) => m.address).join(', ')],
    ['Allowlist', u.allowlist.length ? u.allowlist.map((e) => e.entry).join(', ') : 'any address'],
    ['Last used', u.lastUsedAt ? `${when(u.lastUsedAt)} from ${u.lastUsedIp}` : 'never'],
    ['Created', `${when(u.createdAt)} by ${u.createdBy}`],
  ]);
}
