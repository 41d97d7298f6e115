import type { Command } from 'commander';
import { parseInputOf } from '../../../shared/contract.js';
import type { SigningKeyInfo } from '../../../shared/token-server.dto.js';
import { headlessKeyWrapper } from '../../crypto/key-wrap.js';
import { SigningKeysService } from '../../services/signing-keys.service.js';
import { readTokenServerSettings } from '../../services/token-server-settings.js';
import { UsageError, type CliContext } from '../context.js';
import { table, when } from '../format.js';
import { registerClientKeyCommands } from './client-keys.js';

export function registerKeys(program: Command, ctx: CliContext): void {
  const group = program.command('keys').description('the token server\'s signing keys (the JWKS), and API users\' public keys (private_key_jwt)');
  registerClientKeyCommands(group, ctx);

  group
    .command('list')
    .description('every signing key: the active one and retired ones still published until their tokens expire')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const keys = await service(ctx).list(ctx.actor);
      ctx.emit(opts.json, keys, () => keysText(keys));
    });

  group
    .command('rotate')
    .description('create a new signing key; the old one stays in the JWKS until every token it signed has expired')
    .option('--alg <alg>', 'ES256 or RS256 (default: the settings\' algorithm)')
    .option('--json', 'print JSON')
    .action(async (opts: { alg?: string; json?: boolean }) => {
      if (opts.alg !== undefined && opts.alg !== 'ES256' && opts.alg !== 'RS256') {
        throw new UsageError(`--alg: "${opts.alg}" is not ES256 or RS256`);
      }
      const settings = await readTokenServerSettings(ctx.core().deps);
      const key = await service(ctx).rotate(ctx.actor, parseInputOf('server.rotateKey', opts.alg ? { alg: opts.alg } : {}), settings.signingAlg);
      ctx.emit(opts.json, key, () =>
        `New signing key ${key.kid} (${key.alg}) is active.\n` +
          'A running server (app or keyrack serve) signs with it within a second; the previous key stays published.\n');
    });
}

function service(ctx: CliContext): SigningKeysService {
  const core = ctx.core();
  // The wrapper is resolved only when a key is created: listing needs no master key.
  return new SigningKeysService(core.deps, () => headlessKeyWrapper(ctx.dataDir, ctx.io.env));
}

function keysText(keys: SigningKeyInfo[]): string {
  if (keys.length === 0) return 'No signing keys yet: the token server creates one on its first start.\n';
  return table(
    keys.map((k) => ({
      kid: k.kid,
      alg: k.alg,
      state: k.active ? 'active' : 'retired',
      created: when(k.createdAt),
      publishedUntil: k.publishedUntil === null ? null : when(k.publishedUntil),
    })),
    [
      ['kid', 'kid'],
      ['alg', 'alg'],
      ['state', 'state'],
      ['created', 'created'],
      ['publishedUntil', 'published until'],
    ],
  );
}
