import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import type { NewSecret, SecretInfo } from '../../../shared/dto.js';
import { parsePositiveInt, parseWhen, type CliContext } from '../context.js';
import { fields, table, when } from '../format.js';
import { resolveUserId } from '../resolve.js';
import { credentialFileWriter, withCredentialFileOptions, writtenText, type CredentialFileOptions, type CredentialFileWriter } from './credentials.js';

export function registerSecrets(program: Command, ctx: CliContext): void {
  const group = program.command('secrets').description('client secrets of API users');

  group
    .command('list <user>')
    .description('list the secrets of an API user, with their last use')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const secrets = await core.secrets.list(ctx.actor, parseInputOf('secrets.list', { userId: await resolveUserId(core, ref) }));
      ctx.emit(opts.json, secrets, () => secretsTable(secrets));
    });

  withCredentialFileOptions(
    group
      .command('add <user>')
      .description('add a secret (printed once; with --out also written into a credential file)')
      .requiredOption('--label <label>', 'what this secret is for, e.g. "staging server"')
      .option('--expires <date>', 'when it stops working (2027-01-31, or 90d)')
      .option('--json', 'print JSON'),
  ).action(async (ref: string, opts: { label: string; expires?: string; json?: boolean } & CredentialFileOptions) => {
    const core = ctx.core();
    const now = core.deps.clock.now();
    const userId = await resolveUserId(core, ref);
    const writer = opts.out === undefined ? undefined : await credentialFileWriter(ctx, { ...opts, out: opts.out });
    const created = await core.secrets.add(ctx.actor, parseInputOf('secrets.add', { userId, label: opts.label, expiresAt: expiryFlag(opts.expires, now) }));
    await printNewSecret(ctx, userId, created, opts.json, writer);
  });

  withCredentialFileOptions(
    group
      .command('rotate <user>')
      .description('replace a secret: the old one keeps working until the grace period ends; with --out the new one is also written into a credential file')
      .requiredOption('--secret <id>', 'the id of the secret to replace (see secrets list)')
      .option('--grace <when>', 'how long the old secret keeps working (24h, 7d, a date, or now)', '24h')
      .option('--label <label>', 'label of the new secret (default: the old one\'s)')
      .option('--expires <date>', "when the new secret stops working, or never (default: the old secret's expiry)")
      .option('--json', 'print JSON'),
  ).action(async (ref: string, opts: { secret: string; grace: string; label?: string; expires?: string; json?: boolean } & CredentialFileOptions) => {
    const core = ctx.core();
    const now = core.deps.clock.now();
    const userId = await resolveUserId(core, ref);
    const writer = opts.out === undefined ? undefined : await credentialFileWriter(ctx, { ...opts, out: opts.out });
    const created = await core.secrets.rotate(
      ctx.actor,
      parseInputOf('secrets.rotate', {
        userId,
        secretId: parsePositiveInt(opts.secret, '--secret'),
        graceUntil: parseWhen(opts.grace, now, '--grace'),
        label: opts.label,
        expiresAt: expiryFlag(opts.expires, now),
      }),
    );
    await printNewSecret(ctx, userId, created, opts.json, writer);
  });

  group
    .command('revoke <user>')
    .description('stop a secret from working, at once')
    .requiredOption('--secret <id>', 'the id of the secret (see secrets list)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { secret: string; json?: boolean }) => {
      const core = ctx.core();
      const info = await core.secrets.revoke(
        ctx.actor,
        parseInputOf('secrets.revoke', { userId: await resolveUserId(core, ref), secretId: parsePositiveInt(opts.secret, '--secret') }),
      );
      ctx.emit(opts.json, info, () => `Secret ${info.id} ("${info.label}") is revoked.\n`);
    });
}

/** `--expires` of a rotation: omitted keeps the old secret's expiry (undefined), `never` removes it (null). */
function expiryFlag(text: string | undefined, now: number): number | null | undefined {
  if (text === undefined) return undefined;
  return text.trim().toLowerCase() === 'never' ? null : parseWhen(text, now, '--expires');
}

/** Prints a new secret once, and writes it into the credential file asked for with --out. */
async function printNewSecret(
  ctx: CliContext,
  userId: number,
  created: NewSecret,
  asJson: boolean | undefined,
  writer: CredentialFileWriter | undefined,
): Promise<void> {
  const file = writer ? await writer.write(userId, created.secret) : undefined;
  ctx.emit(asJson, file ? { ...created, file } : created, () =>
    fields([
      ['Client id', created.clientId],
      ['Client secret', created.secret],
      ['Secret id', created.info.id],
      ['Expires', when(created.info.expiresAt)],
    ]) +
    '\nStore the secret now: Keyrack keeps only a hash and will not show it again.\n' +
    (file ? writtenText(file) : ''),
  );
}

function secretsTable(secrets: SecretInfo[]): string {
  return table(
    secrets.map((s) => ({
      id: s.id,
      label: s.label,
      state: s.state,
      created: `${when(s.createdAt)} by ${s.createdBy}`,
      expires: when(s.expiresAt),
      lastUsed: s.lastUsedAt ? `${when(s.lastUsedAt)} from ${s.lastUsedIp}` : 'never',
    })),
    [
      ['id', 'Id'],
      ['label', 'Label'],
      ['state', 'State'],
      ['created', 'Created'],
      ['expires', 'Expires'],
      ['lastUsed', 'Last used'],
    ],
  );
}
