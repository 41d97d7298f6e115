import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CredentialFileDocument, CredentialFileFormat } from '../../../shared/credential-files.dto.js';
import { AppError, UnauthenticatedError } from '../../../shared/errors.js';
import {
  CredentialFileFormatError,
  detectFormat,
  parseCredentialDocument,
} from '../../credentials/credential-file-format.js';
import { knownEndpoints } from '../../credentials/endpoints.js';
import {
  EnvelopeDecryptError,
  EnvelopeFormatError,
  decryptWithPassphrase,
  looksLikeEnvelope,
} from '../../credentials/passphrase-envelope.js';
import { headlessKeyWrapper } from '../../crypto/key-wrap.js';
import { loadOrCreateTlsMaterial, readTlsCertificates } from '../../crypto/tls.js';
import { CredentialFilesService } from '../../services/credential-files.js';
import { readTokenServerSettings } from '../../services/token-server-settings.js';
import { readRunningRecord } from '../../token-server/running-record.js';
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
    .description('write a credential file for an API user (mode 0600); it holds no secret: Keyrack shows secrets only once')
    .requiredOption('--out <file>', 'where to write the file')
    .option('--format <format>', 'json or env', 'json')
    .option('--passphrase-stdin', 'encrypt the file with a passphrase read from stdin')
    .option('--encrypt', 'encrypt the file with a passphrase asked for in the terminal')
    .option('--force', 'replace the file if it exists')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        opts: { out: string; format: string; passphraseStdin?: boolean; encrypt?: boolean; force?: boolean; json?: boolean },
      ) => {
        if (opts.format !== 'json' && opts.format !== 'env') throw new UsageError(`--format: "${opts.format}" is not json or env`);
        const passphrase = await exportPassphrase(ctx, opts);
        const core = ctx.core();
        const settings = readTokenServerSettings(core.deps);
        // An https issuer of the office's choosing gets Keyrack's CA, which must exist before it is read.
        if (settings.issuer?.startsWith('https:')) await ensureTlsMaterial(ctx);
        // Known now or refused (no file), not guessed: see credentials/endpoints.ts.
        const endpoints = knownEndpoints(core.dataDir, settings, readRunningRecord(core.dataDir));
        const service = new CredentialFilesService(core.deps, () => endpoints);
        const written = await service.writeFile(ctx.actor, {
          userId: resolveUserId(core, ref),
          format: opts.format as CredentialFileFormat,
          path: opts.out,
          overwrite: Boolean(opts.force),
          ...(passphrase !== undefined ? { passphrase } : {}),
        });
        ctx.emit(opts.json, written, () =>
          `Wrote ${written.path} (${written.format}${written.encrypted ? ', encrypted with your passphrase' : ''}, mode 0600).\n` +
          (written.containsSecret
            ? ''
            : 'It holds no client secret: Keyrack shows a secret only when it is created or rotated.\n' +
              'Give the integrator the secret saved then, or rotate it (keyrack secrets rotate) for a new one.\n'));
      },
    );
}

/** The certificate the file carries must exist before the export reads it; the server would create it anyway. */
async function ensureTlsMaterial(ctx: CliContext): Promise<void> {
  if (readTlsCertificates(ctx.dataDir)) return;
  await loadOrCreateTlsMaterial(ctx.dataDir, headlessKeyWrapper(ctx.dataDir, ctx.io.env));
}

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
      ['Client secret', d.client_secret ?? '(not in this file)'],
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
