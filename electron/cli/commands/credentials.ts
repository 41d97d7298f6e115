import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CredentialFileDocument } from '../../../shared/credential-files.dto.js';
import { writeCredentialFileInput, writeKeyCredentialFileInput } from '../../../shared/credential-files.schemas.js';
import { CLIENT_KEY_ALGS } from '../../../shared/domain.js';
import { AppError, ConflictError, UnauthenticatedError } from '../../../shared/errors.js';
import { parseInput } from '../../../shared/validate.js';
import {
  CredentialFileFormatError,
  detectFormat,
  parseCredentialDocument,
} from '../../credentials/credential-file-format.js';
import {
  EnvelopeDecryptError,
  EnvelopeFormatError,
  decryptWithPassphrase,
  looksLikeEnvelope,
} from '../../credentials/passphrase-envelope.js';
import { isLoopbackHost } from '../../credentials/endpoints.js';
import { headlessKeyWrapper } from '../../crypto/key-wrap.js';
import { credentialFileEndpoints } from '../../services/credential-export.js';
import { CredentialFilesService } from '../../services/credential-files.js';
import { promptHidden, readAllStdin } from '../io.js';
import { UsageError, type CliContext } from '../context.js';
import { fields } from '../format.js';
import { resolveUserId } from '../resolve.js';

export function registerCredentials(program: Command, ctx: CliContext): void {
  const group = program.command('credentials').description('exported credential files of API users');

  group
    .command('open <file>')
    .description('read a credential file (decrypting it if it is passphrase-protected) and print what it holds')
    .option('--passphrase-stdin', 'read the passphrase from stdin instead of prompting')
    .option('--json', 'print the credential file\'s JSON document')
    .action(async (file: string, opts: { passphraseStdin?: boolean; json?: boolean }) => {
      const text = readInput(file);
      const document = await openDocument(ctx, text, opts.passphraseStdin);
      ctx.emit(opts.json, document, () => documentText(document));
    });

  group
    .command('export <user>')
    .description(
      'write a credential file for an API user (mode 0600); it holds no secret: Keyrack shows secrets only once. ' +
        'With --key: a new key pair, the public key registered, the private key only in the file',
    )
    .requiredOption('--out <file>', 'where to write the file')
    .option('--format <format>', 'json or env', 'json')
    .option('--key', 'generate a key pair for private_key_jwt: register the public key, put the private key only in the file')
    .option('--alg <alg>', `with --key: ${CLIENT_KEY_ALGS.join(', ')}`, 'ES256')
    .option('--passphrase-stdin', 'encrypt the file with a passphrase read from stdin')
    .option('--encrypt', 'encrypt the file with a passphrase asked for in the terminal')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: CredentialFileOptions & { out: string; json?: boolean }) => {
      const writer = await credentialFileWriter(ctx, opts);
      const written = await writer.write(await resolveUserId(ctx.core(), ref));
      ctx.emit(opts.json, written, () =>
        writtenText(written) +
        (written.containsPrivateKey
          ? 'It holds a new private key (kept nowhere else) for private_key_jwt; its public key is registered ' +
            `(keyrack keys list-client). Give the file to the integrator, privately.\n`
          : written.containsSecret
          ? ''
          : 'It holds no client secret: Keyrack shows a secret only when it is created or rotated.\n' +
            'Give the integrator the secret saved then, or rotate it (keyrack secrets rotate --out FILE) for a new one in a file.\n'));
    });
}

/** The flags of a command that writes a credential file: `credentials export`, and `--out` where a secret is made. */
export interface CredentialFileOptions {
  out?: string;
  format: string;
  passphraseStdin?: boolean;
  encrypt?: boolean;
  force?: boolean;
  /** `credentials export --key`: a key file (private_key_jwt) instead of a secret's. */
  key?: boolean;
  alg?: string;
}

/** Adds the credential-file flags to a command that creates a secret (api-users create, secrets add/rotate). */
export function withCredentialFileOptions(command: Command): Command {
  return command
    .option('--out <file>', 'also write a credential file holding the new secret (mode 0600)')
    .option('--format <format>', 'the file\'s format with --out: json or env', 'json')
    .option('--passphrase-stdin', 'with --out: encrypt the file with a passphrase read from stdin')
    .option('--encrypt', 'with --out: encrypt the file with a passphrase asked for in the terminal')
    .option('--force', 'with --out: replace the file if it exists');
}

export interface CredentialFileWriter {
  write(userId: number, secret?: string): Promise<WrittenCredentialFile>;
}

type WrittenCredentialFile = Awaited<ReturnType<CredentialFilesService['writeFile']>>;

/**
 * Everything a credential file needs that can be refused, settled before anything changes: the format, the
 * passphrase, and the server's URLs (known now or refused, not guessed: see credentials/endpoints.ts). A
 * command that creates a secret asks for this first, so a refusal creates nothing.
 */
export async function credentialFileWriter(ctx: CliContext, opts: CredentialFileOptions & { out: string }): Promise<CredentialFileWriter> {
  if (opts.format !== 'json' && opts.format !== 'env') throw new UsageError(`--format: "${opts.format}" is not json or env`);
  const alg = opts.alg ?? 'ES256';
  if (opts.key && !(CLIENT_KEY_ALGS as readonly string[]).includes(alg)) {
    throw new UsageError(`--alg: "${alg}" is not one of ${CLIENT_KEY_ALGS.join(', ')}`);
  }
  if (!opts.key && opts.alg !== undefined && opts.alg !== 'ES256') throw new UsageError('--alg goes with --key');
  // The same refusal the service gives, but before a command that makes a secret has made it.
  if (!opts.force && existsSync(opts.out)) throw new ConflictError(`${resolve(opts.out)} already exists: choose another name, or --force to replace it`);
  const passphrase = await exportPassphrase(ctx, opts);
  const core = ctx.core();
  const endpoints = await credentialFileEndpoints(core, () => headlessKeyWrapper(ctx.dataDir, ctx.io.env));
  // Said before the file is written, as the app's export dialog says it: such a file works on this computer only.
  if (isLoopbackHost(new URL(endpoints.issuer).hostname)) ctx.io.stderr.write(`${thisComputerOnlyWarning(endpoints.tokenEndpoint)}\n`);
  const service = new CredentialFilesService(core.deps, () => endpoints);
  if (opts.key) {
    return {
      write: (userId, secret) => {
        // A key file authenticates with private_key_jwt: a secret in it would be a second credential.
        if (secret !== undefined) throw new UsageError('--key makes a key file; it cannot also hold a client secret');
        return service.writeKeyFile(
          ctx.actor,
          parseInput(writeKeyCredentialFileInput, {
            userId,
            format: opts.format,
            path: opts.out,
            overwrite: Boolean(opts.force),
            alg,
            ...(passphrase !== undefined ? { passphrase } : {}),
          }),
        );
      },
    };
  }
  return {
    write: (userId, secret) =>
      service.writeFile(
        ctx.actor,
        parseInput(writeCredentialFileInput, {
          userId,
          format: opts.format,
          path: opts.out,
          overwrite: Boolean(opts.force),
          ...(secret !== undefined ? { secret } : {}),
          ...(passphrase !== undefined ? { passphrase } : {}),
        }),
      ),
  };
}

export const thisComputerOnlyWarning = (tokenEndpoint: string) =>
  `Warning: the file names ${tokenEndpoint}, which only this computer reaches. For integrators on other machines, ` +
  'turn on LAN access (keyrack server settings set --lan-access on) or set the issuer to the address they use ' +
  '(keyrack server settings set --issuer https://keyrack.office.lan:8443), then export again.';

export const writtenText = (written: WrittenCredentialFile) =>
  `Wrote ${written.path} (${written.format}${written.encrypted ? ', encrypted with your passphrase' : ''}, mode 0600).\n`;

async function openDocument(ctx: CliContext, text: string, passphraseStdin: boolean | undefined): Promise<CredentialFileDocument> {
  try {
    if (!looksLikeEnvelope(text)) return parseCredentialDocument(text, detectFormat(text));
    const passphrase = passphraseStdin ? await readAllStdin(ctx.io) : await promptPassphrase(ctx, 'Passphrase: ');
    const { content, plaintext } = await decryptWithPassphrase(text, passphrase);
    return parseCredentialDocument(plaintext, content);
  } catch (error) {
    if (error instanceof EnvelopeDecryptError) throw new UnauthenticatedError(error.message);
    if (error instanceof EnvelopeFormatError || error instanceof CredentialFileFormatError) {
      throw new AppError('validation', error.message);
    }
    throw error;
  }
}

async function exportPassphrase(
  ctx: CliContext,
  opts: { passphraseStdin?: boolean; encrypt?: boolean },
): Promise<string | undefined> {
  if (opts.passphraseStdin && opts.encrypt) throw new UsageError('give either --passphrase-stdin or --encrypt, not both');
  if (opts.passphraseStdin) return readAllStdin(ctx.io);
  if (!opts.encrypt) return undefined;
  const first = await promptPassphrase(ctx, 'Passphrase for the file: ');
  const second = await promptPassphrase(ctx, 'Again: ');
  if (first !== second) throw new UsageError('the two passphrases differ');
  return first;
}

async function promptPassphrase(ctx: CliContext, question: string): Promise<string> {
  if (!ctx.io.stdin.isTTY) throw new UsageError('this needs a passphrase: run in a terminal, or pass it with --passphrase-stdin');
  return promptHidden(ctx.io, question);
}

function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function documentText(d: CredentialFileDocument): string {
  return (
    fields([
      ['Name', d.name],
      ['Client id', d.client_id],
      ...(d.private_jwk
        ? ([['Authentication', `private_key_jwt: key ${d.kid ?? ''} (${d.alg ?? ''}), the private key is in this file`]] as [string, string][])
        : ([['Client secret', d.client_secret ?? '(not in this file)']] as [string, string][])),
      ['Issuer', d.issuer],
      ['Token endpoint', d.token_endpoint],
      ['Scopes', d.scopes.join(' ')],
      ['Mailboxes', d.mailboxes.join(', ')],
      ['CA certificate', d.ca_certificate ? 'included (Keyrack\'s own CA)' : 'not included'],
      ['Exported', d.created_at],
      ['Expires', d.expires_at ?? 'never'],
    ]) + (d.note ? `\n${d.note}\n` : '')
  );
}
