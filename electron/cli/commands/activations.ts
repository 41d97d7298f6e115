import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConflictError } from '../../../shared/errors.js';
import { OWNER_ONLY } from '../../fs/atomic-write.js';
import type { ActivationInfo, RegistrationInfo } from '../../../shared/activations.dto.js';
import { parseInputOf } from '../../../shared/contract.js';
import { collect, parsePositiveInt, parseWhen, UsageError, type CliContext } from '../context.js';
import { fields, table, when } from '../format.js';
import { resolveGroupIds, resolveMailboxIds } from '../resolve.js';
import { saveToPath } from '../save-to-path.js';

interface CreateOptions {
  group?: string[];
  mailbox?: string[];
  allow?: string[];
  userExpires?: string;
  tokenLifetime?: string;
  max?: string;
  expires?: string;
  approval?: boolean;
  out?: string;
  format: string;
  force?: boolean;
  json?: boolean;
}

/**
 * `keyrack activations create | list | revoke | registrations | pending | approve | refuse`: codes a service
 * registers itself with (RFC 7591 at the token server's /oauth2/register), and the registrations made.
 */
export function registerActivations(program: Command, ctx: CliContext): void {
  const group = program.command('activations').description('activation codes: services register themselves as API users (RFC 7591)');

  group
    .command('create <name>')
    .description('create an activation; prints its code (the only time it is shown) and the snippet for the vendor')
    .option('--group <group>', 'a group each API user it creates joins (repeatable)', collect)
    .option('--mailbox <address>', 'a mailbox each may send from (repeatable)', collect)
    .option('--allow <entry>', 'IP, CIDR, or AWS|GOOGLE|AZURE|CLOUDFLARE|DIGITAL_OCEAN (repeatable)', collect)
    .option('--user-expires <date>', 'when each API user it creates stops working (2027-01-31, or 365d)')
    .option('--token-lifetime <seconds>', "their access token lifetime (default: the server's)")
    .option('--max <n>', 'how many services may register with the code', '1')
    .option('--expires <date>', 'when the code stops working (2027-01-31, or 7d)', '7d')
    .option('--approval', 'each registration waits for an administrator (keyrack activations approve)')
    .option('--out <file>', "also write the vendor's file: the registration URL and the code (mode 0600)")
    .option('--format <format>', 'json | env (the file for --out)', 'json')
    .option('--force', 'replace the --out file if it exists')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: CreateOptions) => {
      // Settled before anything is created: a file that cannot be written must not cost an activation.
      if (opts.format !== 'json' && opts.format !== 'env') throw new UsageError(`--format: "${opts.format}" is not json or env`);
      const out = opts.out === undefined ? undefined : resolve(opts.out);
      if (out !== undefined && !opts.force && existsSync(out)) {
        throw new ConflictError(`${out} already exists: choose another name, or --force to replace it`);
      }
      const core = ctx.core();
      const now = core.deps.clock.now();
      const created = await core.activations.create(
        ctx.actor,
        parseInputOf('activations.create', {
          name,
          groupIds: await resolveGroupIds(core, opts.group ?? []),
          mailboxIds: await resolveMailboxIds(core, opts.mailbox ?? []),
          allowlist: opts.allow ?? [],
          userExpiresAt: opts.userExpires === undefined ? undefined : parseWhen(opts.userExpires, now, '--user-expires'),
          tokenLifetimeSeconds: opts.tokenLifetime === undefined ? undefined : parsePositiveInt(opts.tokenLifetime, '--token-lifetime'),
          maxRegistrations: parsePositiveInt(opts.max ?? '1', '--max'),
          expiresAt: parseWhen(opts.expires ?? '7d', now, '--expires'),
          requiresApproval: opts.approval === true,
        }),
      );
      const { activation, code, snippet } = created;
      const file = snippet[opts.format];
      if (out !== undefined) {
        // The code is printed below either way: it is its only copy.
        if (file === null) ctx.io.stderr.write(`No file written: ${snippet.problem ?? 'the registration URL is unknown'}\n`);
        else await saveToPath(out, opts.force === true)({ defaultName: out, content: file, mode: OWNER_ONLY });
      }
      ctx.emit(opts.json, created, () =>
        fields([
          ['Activation', activation.name],
          ['Code', code],
          ['Registrations', String(activation.maxRegistrations)],
          ['Expires', when(activation.expiresAt)],
          ['Approval', activation.requiresApproval ? 'each registration waits for an administrator' : 'not needed'],
          ['Scopes', activation.template.scopes.join(' ') || '(none: its groups give no rights)'],
          ['Registration URL', snippet.registrationUrl ?? '(unknown)'],
        ]) +
        '\nGive the code to the vendor now: Keyrack keeps only a hash and will not show it again.\n' +
        (out !== undefined && file !== null ? `Wrote ${out} (mode 0600) for the vendor.\n` : '') +
        (snippet.curl ? `\nThe vendor registers with:\n\n${snippet.curl}\n\nor, as JSON:\n\n${snippet.json}\n` : `\n${snippet.problem}\n`),
      );
    });

  group
    .command('list')
    .description('list activations: status, registrations used, expiry')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await ctx.core().activations.list(ctx.actor);
      ctx.emit(opts.json, list, () => activationsTable(list));
    });

  group
    .command('revoke <name>')
    .description('stop an activation code from working, at once (registrations made with it stay)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const found = await core.activations.findByName(ctx.actor, name);
      const revoked = await core.activations.revoke(ctx.actor, parseInputOf('activations.revoke', { id: found.id }));
      ctx.emit(opts.json, revoked, () => `The activation ${revoked.name} is revoked: its code no longer registers anything.\n`);
    });

  group
    .command('registrations')
    .description('list the services that registered, newest first')
    .option('--activation <name>', 'only those of this activation')
    .option('--state <state>', 'pending | active | refused | deregistered')
    .option('--json', 'print JSON')
    .action(async (opts: { activation?: string; state?: string; json?: boolean }) => {
      const core = ctx.core();
      const activationId = opts.activation === undefined ? undefined : (await core.activations.findByName(ctx.actor, opts.activation)).id;
      const list = await core.activations.registrations(ctx.actor, parseInputOf('registrations.list', { activationId, state: opts.state }));
      ctx.emit(opts.json, list, () => registrationsTable(list, 'No registrations.\n'));
    });

  group
    .command('pending')
    .description('list registrations waiting for approval')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await ctx.core().activations.pending(ctx.actor);
      ctx.emit(opts.json, list, () => registrationsTable(list, 'No registrations are waiting for approval.\n'));
    });

  for (const [verb, description] of [
    ['approve', "approve a pending registration: its API user's token requests are accepted from now on"],
    ['refuse', 'refuse a pending registration: its API user is disabled'],
  ] as const) {
    group
      .command(`${verb} <client>`)
      .description(`${description} (CLIENT: the client id or the API user's name)`)
      .option('--json', 'print JSON')
      .action(async (client: string, opts: { json?: boolean }) => {
        const core = ctx.core();
        const found = await core.activations.findRegistration(ctx.actor, client);
        if (found.state !== 'pending') throw new UsageError(`the registration of ${found.userName ?? found.clientId} is ${found.state}, not pending`);
        const decided = await core.activations[verb](ctx.actor, parseInputOf(`registrations.${verb}`, { id: found.id }));
        ctx.emit(opts.json, decided, () =>
          verb === 'approve'
            ? `Approved: ${decided.userName ?? decided.clientId} (${decided.clientId}) may get tokens now.\n`
            : `Refused: ${decided.userName ?? decided.clientId} (${decided.clientId}) is disabled.\n`,
        );
      });
  }
}

function activationsTable(list: ActivationInfo[]): string {
  if (list.length === 0) return 'No activations.\n';
  return table(
    list.map((a) => ({
      name: a.name,
      status: a.status.replace('_', ' '),
      used: `${a.registrationsUsed} of ${a.maxRegistrations}`,
      approval: a.requiresApproval ? 'yes' : 'no',
      expires: when(a.expiresAt),
      groups: a.template.groups.map((g) => g.name).join(', '),
      created: `${when(a.createdAt)} by ${a.createdBy}`,
    })),
    [
      ['name', 'Name'],
      ['status', 'Status'],
      ['used', 'Registrations'],
      ['approval', 'Approval'],
      ['expires', 'Expires'],
      ['groups', 'Groups'],
      ['created', 'Created'],
    ],
  );
}

function registrationsTable(list: RegistrationInfo[], none: string): string {
  if (list.length === 0) return none;
  return table(
    list.map((r) => ({
      user: r.userName ?? '(deleted)',
      clientId: r.clientId,
      state: r.state,
      activation: r.activationName,
      software: [r.softwareId, r.softwareVersion].filter((s) => s !== null).join(' ') || '-',
      from: r.sourceIp ?? '-',
      registered: when(r.registeredAt),
    })),
    [
      ['user', 'API user'],
      ['clientId', 'Client id'],
      ['state', 'State'],
      ['activation', 'Activation'],
      ['software', 'Software'],
      ['from', 'From'],
      ['registered', 'Registered'],
    ],
  );
}
