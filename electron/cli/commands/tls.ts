import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { headlessKeyWrapper } from '../../crypto/key-wrap.js';
import { describeTls, loadOrCreateTlsMaterial, readTlsCertificates, type TlsCertificates, type TlsDescription } from '../../crypto/tls.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { installTlsCertificate, resetTlsCertificate, tlsHome } from '../../services/tls-certificates.js';
import type { CliContext } from '../context.js';
import { fields, when } from '../format.js';
import { readFlagFile } from '../read-file.js';

/** The CA certificate is public: integrators and their tools read it. */
const PUBLIC_FILE_MODE = 0o644;

export function registerTls(program: Command, ctx: CliContext): void {
  const group = program.command('tls').description('the token server\'s TLS certificate and Keyrack\'s own CA');

  group
    .command('show')
    .description('the certificate the token server uses: names, validity, fingerprints (creates Keyrack\'s CA on first use)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const described = describeTls(await currentCertificates(ctx));
      ctx.emit(opts.json, described, () => describeText(described));
    });

  group
    .command('export-ca <file>')
    .description('write the CA certificate (PEM) for integrators to trust; "-" prints it')
    .option('--json', 'print where it went and its fingerprint as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const certificates = await currentCertificates(ctx);
      if (file === '-') {
        ctx.print(certificates.caCert);
        return;
      }
      writeFileAtomic(file, certificates.caCert, PUBLIC_FILE_MODE);
      ctx.emit(opts.json, { path: file, fingerprint: certificates.caFingerprint }, () =>
        `Wrote the CA certificate to ${file}\nSHA-256 fingerprint: ${certificates.caFingerprint}\n` +
        'Integrators compare this fingerprint before they trust the file.\n');
    });

  group
    .command('install')
    .description('use your own certificate (chain, leaf first) and its private key instead of Keyrack\'s CA')
    .requiredOption('--cert <file>', 'certificate PEM file (leaf first, then intermediates)')
    .requiredOption('--key <file>', 'unencrypted private key PEM file (Keyrack encrypts it at rest)')
    .option('--json', 'print JSON')
    .action(async (opts: { cert: string; key: string; json?: boolean }) => {
      const certificatePem = readFlagFile(opts.cert, '--cert');
      const keyPem = readFlagFile(opts.key, '--key');
      const described = await installTlsCertificate(ctx.core(), ctx.actor, () => wrapper(ctx), certificatePem, keyPem);
      ctx.emit(opts.json, described, () =>
        describeText(described) + '\nInstalled. Restart the token server (or the app) to serve with it.\n');
    });

  group
    .command('reset')
    .description('remove an installed certificate and go back to Keyrack\'s CA')
    .option('--new-ca', 'also replace Keyrack\'s CA itself: every integrator must trust the new CA certificate')
    .option('--json', 'print JSON')
    .action(async (opts: { newCa?: boolean; json?: boolean }) => {
      const { removedInstalled: removed, described } = await resetTlsCertificate(ctx.core(), ctx.actor, () => wrapper(ctx), {
        newCa: Boolean(opts.newCa),
      });
      ctx.emit(opts.json, { removedInstalled: removed, newCa: Boolean(opts.newCa), ...described }, () =>
        (removed ? 'Removed the installed certificate.\n' : 'No installed certificate to remove.\n') +
        (opts.newCa ? 'Created a new Keyrack CA: integrators must trust its certificate again (keyrack tls export-ca).\n' : '') +
        describeText(described));
    });
}

function ensureDataDir(ctx: CliContext): string {
  mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  return ctx.dataDir;
}

function wrapper(ctx: CliContext) {
  return headlessKeyWrapper(ensureDataDir(ctx), ctx.io.env);
}

/**
 * What this node serves with (the store's CA, its own server certificate), or Keyrack's CA and this node's
 * certificate created now on first use.
 */
async function currentCertificates(ctx: CliContext): Promise<TlsCertificates> {
  ensureDataDir(ctx);
  const home = tlsHome(ctx.core());
  return (await readTlsCertificates(home)) ?? (await loadOrCreateTlsMaterial(home, wrapper(ctx)));
}

function describeText(d: TlsDescription): string {
  return fields([
    ['Source', d.source === 'generated' ? 'Keyrack\'s own CA' : 'installed by an administrator'],
    ['Subject', d.subject],
    ['Issuer', d.issuer],
    ['DNS names', d.dnsNames.join(', ')],
    ['IP addresses', d.ipAddresses.join(', ')],
    ['Valid from', when(d.notBefore)],
    ['Valid until', when(d.notAfter) + (d.currentlyValid ? '' : '  (NOT VALID NOW)')],
    ['Fingerprint', d.fingerprint],
    ['CA', d.caSubject],
    ['CA valid until', when(d.caNotAfter)],
    ['CA fingerprint', d.caFingerprint],
  ]);
}
