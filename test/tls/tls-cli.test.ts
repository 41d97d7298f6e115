import Database from 'better-sqlite3';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createCertificateAuthority, issueServerCertificate } from '../../electron/crypto/x509-issue.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';

const DAY = 86_400_000;
let data: string;
beforeEach(() => {
  data = tempDir('keyrack-tls-cli-');
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

async function officeCertificate() {
  const ca = await createCertificateAuthority('Office CA', new Date(Date.now() - DAY), new Date(Date.now() + 3650 * DAY));
  const server = await issueServerCertificate(ca, { hostnames: ['keyrack.office.test'], addresses: [] }, new Date(Date.now() - DAY), new Date(Date.now() + 90 * DAY));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${server.keyPkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`;
  return { ca, chainPem: server.certPem + ca.certPem, keyPem };
}

describe('keyrack tls', () => {
  test('show creates Keyrack\'s CA once, export-ca writes the same certificate with its fingerprint', async () => {
    const shown = await keyrack(data, ['tls', 'show', '--json']);
    expect(shown.code).toBe(0);
    const described = JSON.parse(shown.stdout) as { source: string; caFingerprint: string; dnsNames: string[] };
    expect(described.source).toBe('generated');
    expect(described.dnsNames).toContain('localhost');
    expect(shown.stdout).not.toContain('PRIVATE');

    const again = JSON.parse((await keyrack(data, ['tls', 'show', '--json'])).stdout) as { caFingerprint: string };
    expect(again.caFingerprint).toBe(described.caFingerprint);

    const file = join(data, 'keyrack-ca.pem');
    const exported = await keyrack(data, ['tls', 'export-ca', file]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(described.caFingerprint);
    expect(new X509Certificate(readFileSync(file)).fingerprint256).toBe(described.caFingerprint);
    expect(statSync(file).mode & 0o777).toBe(0o644);

    const printed = await keyrack(data, ['tls', 'export-ca', '-']);
    expect(printed.stdout).toBe(readFileSync(file, 'utf8'));
    expect((await keyrack(data, ['tls', 'show'])).stdout).toMatch(/CA fingerprint:\s+[0-9A-F:]{95}/);
  });

  test('install uses the admin\'s certificate, logs it, and reset goes back to the same Keyrack CA', async () => {
    const before = JSON.parse((await keyrack(data, ['tls', 'show', '--json'])).stdout) as { caFingerprint: string };
    const pki = await officeCertificate();
    writeFileSync(join(data, 'chain.pem'), pki.chainPem);
    writeFileSync(join(data, 'key.pem'), pki.keyPem);

    const installed = await keyrack(data, ['tls', 'install', '--cert', join(data, 'chain.pem'), '--key', join(data, 'key.pem')]);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain('installed by an administrator');
    expect(installed.stdout).toContain('keyrack.office.test');
    const shown = JSON.parse((await keyrack(data, ['tls', 'show', '--json'])).stdout) as { source: string; caFingerprint: string };
    expect(shown).toMatchObject({ source: 'installed', caFingerprint: new X509Certificate(pki.ca.certPem).fingerprint256 });

    const reset = await keyrack(data, ['tls', 'reset']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('Removed the installed certificate.');
    const after = JSON.parse((await keyrack(data, ['tls', 'show', '--json'])).stdout) as { source: string; caFingerprint: string };
    expect(after).toEqual(expect.objectContaining({ source: 'generated', caFingerprint: before.caFingerprint }));
    // Each change is one settings.changed event in the log (appended through the Store port).
    const db = new Database(join(data, DATABASE_FILE), { readonly: true });
    const logged = db
      .prepare(`SELECT json_extract(details, '$.action') AS action FROM audit_events
                WHERE type = 'settings.changed' AND json_extract(details, '$.setting') = 'tls' ORDER BY id`)
      .all();
    db.close();
    expect(logged).toEqual([{ action: 'installed' }, { action: 'reset' }]);

    const renewed = await keyrack(data, ['tls', 'reset', '--new-ca', '--json']);
    expect(JSON.parse(renewed.stdout)).toMatchObject({ newCa: true, removedInstalled: false });
    expect((JSON.parse(renewed.stdout) as { caFingerprint: string }).caFingerprint).not.toBe(before.caFingerprint);

    const log = JSON.parse((await keyrack(data, ['log', '--json'])).stdout) as { type: string; details: Record<string, unknown> }[];
    const tlsEvents = log.filter((e) => e.type === 'settings.changed' && e.details.setting === 'tls');
    expect(tlsEvents.map((e) => e.details.action).sort()).toEqual(['installed', 'new_ca', 'reset']);
    expect(JSON.stringify(log)).not.toContain('PRIVATE KEY');
  });

  test('install refuses a key that does not match, with the reason, and changes nothing', async () => {
    const pki = await officeCertificate();
    writeFileSync(join(data, 'chain.pem'), pki.chainPem);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(data, 'other.pem'), other);
    const refused = await keyrack(data, ['tls', 'install', '--cert', join(data, 'chain.pem'), '--key', join(data, 'other.pem')]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('does not belong to the certificate');
    expect(refused.stderr).not.toContain('PRIVATE');
    expect((JSON.parse((await keyrack(data, ['tls', 'show', '--json'])).stdout) as { source: string }).source).toBe('generated');

    const missing = await keyrack(data, ['tls', 'install', '--cert', join(data, 'nope.pem'), '--key', join(data, 'other.pem')]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('--cert: cannot read') });
  });
});
