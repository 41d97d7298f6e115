import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import type { ClientKeyInfo } from '../../../shared/dto.js';
import { parseWhen, type CliContext } from '../context.js';
import { fields, table, when } from '../format.js';
import { readFlagFile } from '../read-file.js';
import { resolveUserId } from '../resolve.js';

/**
 * `keyrack keys add-client | list-client | revoke-client`: API users' public keys for private_key_jwt, beside
 * the server's own signing keys in `keyrack keys` (keys.ts). The file holds the public key only, as PEM or JWK.
 */
export function registerClientKeyCommands(group: Command, ctx: CliContext): void {
  group
    .command('add-client <user>')
    .description("add an API user's public key (PEM or JWK) for private_key_jwt; the private key stays with the integration")
    .requiredOption('--file <path>', 'the public key: key.pub.pem (-----BEGIN PUBLIC KEY-----) or jwk.json')
    .option('--label <label>', 'what this key is for, e.g. "CRM production"', 'Public key')
    .option('--expires <date>', 'when it stops working (2027-01-31, or 90d)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { file: string; label: string; expires?: string; json?: boolean }) => {
      const core = ctx.core();
      const now = core.deps.clock.now();
      const info = await core.clientKeys.add(
        ctx.actor,
        parseInputOf('clientKeys.add', {
          userId: await resolveUserId(core, ref),
          key: readFlagFile(opts.file, '--file'),
          label: opts.label,
          expiresAt: opts.expires === undefined ? undefined : parseWhen(opts.expires, now, '--expires'),
        }),
      );
      ctx.emit(opts.json, info, () =>
        fields([
          ['Key id (kid)', info.kid],
          ['Algorithm', info.alg],
          ['Label', info.label],
          ['Expires', when(info.expiresAt)],
        ]) + '\nThe integration signs its client assertions with the private key and this kid (docs/token-server.md).\n',
      );
    });

  group
    .command('list-client <user>')
    .description("list an API user's public keys, with their last use")
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const core = ctx.core();
      const keys = await core.clientKeys.list(ctx.actor, parseInputOf('clientKeys.list', { userId: await resolveUserId(core, ref) }));
      ctx.emit(opts.json, keys, () => clientKeysTable(keys));
    });

  group
    .command('revoke-client <user>')
    .description("stop one of an API user's public keys from working, at once")
    .requiredOption('--kid <kid>', 'the key id (see keys list-client)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { kid: string; json?: boolean }) => {
      const core = ctx.core();
      const info = await core.clientKeys.revoke(ctx.actor, parseInputOf('clientKeys.revoke', { userId: await resolveUserId(core, ref), kid: opts.kid }));
      ctx.emit(opts.json, info, () => `Key ${info.kid} ("${info.label}") is revoked.\n`);
    });
}

function clientKeysTable(keys: ClientKeyInfo[]): string {
  if (keys.length === 0) return 'No public keys: this API user authenticates with secrets only.\n';
  return table(
    keys.map((k) => ({
      kid: k.kid,
      alg: k.alg,
      label: k.label,
      state: k.state,
      created: `${when(k.createdAt)} by ${k.createdBy}`,
      expires: when(k.expiresAt),
      lastUsed: k.lastUsedAt ? `${when(k.lastUsedAt)} from ${k.lastUsedIp}` : 'never',
    })),
    [
      ['kid', 'Kid'],
      ['alg', 'Alg'],
      ['label', 'Label'],
      ['state', 'State'],
      ['created', 'Created'],
      ['expires', 'Expires'],
      ['lastUsed', 'Last used'],
    ],
  );
}
