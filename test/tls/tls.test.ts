import '../../electron/crypto/x509-reflect.js';
import * as x509 from '@peculiar/x509';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aesGcmKeyWrapper, headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import {
  describeTls,
  discardCertificateAuthority,
  installCertificate,
  loadOrCreateTlsMaterial,
  machineNames,
  removeInstalledCertificate,
  tlsDir,
  type TlsMaterial,
} from '../../electron/crypto/tls.js';
import { createCertificateAuthority, issueServerCertificate } from '../../electron/crypto/x509-issue.js';
import { ValidationError } from '../../shared/errors.js';
import { tempDir } from '../support/core.js';

const NAMES = { hostnames: ['keyrack.test', 'localhost'], addresses: ['127.0.0.1', '::1', '192.0.2.10'] };
const DAY = 86_400_000;

const dirs: string[] = [];
function dataDir(): string {
  const dir = tempDir('keyrack-tls-');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An https server on 127.0.0.1:0 with the material; a client that trusts only `ca` asks for `servername`. */
async function handshake(material: TlsMaterial, ca: string, servername: string, host = '127.0.0.1'): Promise<string> {
  const options: ServerOptions = { key: material.key, cert: material.cert };
  const server = createServer(options, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        { host, port, path: '/', ca, servername: servername === host ? undefined : servername, agent: false, timeout: 5000 },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('Keyrack CA and server certificate', () => {
  it('creates a CA and a server certificate that chain and carry the requested names', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const material = await loadOrCreateTlsMaterial(dir, wrapper, NAMES);
    expect(material.source).toBe('generated');

    const ca = new X509Certificate(material.caCert);
    const leaf = new X509Certificate(material.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const caParsed = new x509.X509Certificate(material.caCert);
    const constraints = caParsed.getExtension(x509.BasicConstraintsExtension);
    expect([constraints?.ca, constraints?.pathLength, constraints?.critical]).toEqual([true, 0, true]);
    expect(caParsed.getExtension(x509.KeyUsagesExtension)?.usages).toBe(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    );
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf.checkHost('keyrack.test')).toBe('keyrack.test');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkIP('::1')).toBe('::1');
    expect(leaf.checkIP('192.0.2.10')).toBe('192.0.2.10');
    expect(leaf.checkHost('other.test')).toBeUndefined();
    expect(leaf.checkIP('192.0.2.11')).toBeUndefined();

    const lifetime = Date.parse(leaf.validTo) - Date.parse(leaf.validFrom);
    expect(lifetime).toBeLessThanOrEqual(397 * DAY);
    expect(Date.parse(ca.validTo) - Date.now()).toBeGreaterThan(10 * 365 * DAY);
    expect(material.caFingerprint).toBe(ca.fingerprint256);
    expect(material.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('serves TLS that a client trusting only the CA accepts, by name and by address, and rejects for other names', async () => {
    const dir = dataDir();
    const material = await loadOrCreateTlsMaterial(dir, headlessKeyWrapper(dir, {}), NAMES);
    expect(await handshake(material, material.caCert, 'localhost')).toBe('ok');
    expect(await handshake(material, material.caCert, 'keyrack.test')).toBe('ok');
    expect(await handshake(material, material.caCert, '127.0.0.1')).toBe('ok');
    await expect(handshake(material, material.caCert, 'other.test')).rejects.toThrow(/altnames|Hostname/i);
    // A client trusting some other CA refuses the chain.
    const otherCa = await createCertificateAuthority('other', new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    await expect(handshake(material, otherCa.certPem, 'localhost')).rejects.toThrow(/certificate/i);
  });

  it('keeps private keys only wrapped, in files readable by the owner alone', async () => {
    const dir = dataDir();
    const material = await loadOrCreateTlsMaterial(dir, headlessKeyWrapper(dir, {}), NAMES);
    const files = readdirSync(tlsDir(dir));
    expect(files.sort()).toEqual(['ca.crt', 'ca.key.wrapped', 'server.crt', 'server.key.wrapped']);
    const keyBody = material.key.replace(/-----[^-]+-----|\s/g, '');
    const keyDer = Buffer.from(keyBody, 'base64');
    for (const file of files) {
      const path = join(tlsDir(dir), file);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const bytes = readFileSync(path);
      expect(bytes.toString('latin1')).not.toContain('PRIVATE KEY');
      expect(bytes.toString('latin1')).not.toContain(keyBody.slice(0, 40));
      expect(bytes.includes(keyDer)).toBe(false);
    }
    // Another master key cannot open them.
    const wrongWrapper = aesGcmKeyWrapper(Buffer.alloc(32, 7), 'wrong');
    rmSync(join(tlsDir(dir), 'server.crt')); // force an unwrap of the CA key to reissue
    await expect(loadOrCreateTlsMaterial(dir, wrongWrapper, NAMES)).rejects.toThrow(/master key/);
  });

  it('reuses the material while nothing changed, and reissues with the same CA when names change', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const first = await loadOrCreateTlsMaterial(dir, wrapper, NAMES);
    const again = await loadOrCreateTlsMaterial(dir, wrapper, { ...NAMES, addresses: [...NAMES.addresses].reverse() });
    expect(again.cert).toBe(first.cert);
    expect(again.key).toBe(first.key);

    // A new name within the CA's constraints (loopback is all of 127.0.0.0/8), one gone.
    const moved = await loadOrCreateTlsMaterial(dir, wrapper, { ...NAMES, addresses: ['127.0.0.1', '::1', '127.0.0.53'] });
    expect(moved.cert).not.toBe(first.cert);
    expect(moved.key).not.toBe(first.key);
    expect(moved.caCert).toBe(first.caCert);
    expect(moved.report?.issued?.reason).toBe('names');
    const leaf = new X509Certificate(moved.cert);
    expect(leaf.checkIP('127.0.0.53')).toBe('127.0.0.53');
    expect(leaf.checkIP('192.0.2.10')).toBeUndefined();
    expect(leaf.verify(new X509Certificate(first.caCert).publicKey)).toBe(true);
  });

  it('reissues the server certificate when it is within 30 days of expiry', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const start = Date.now();
    const first = await loadOrCreateTlsMaterial(dir, wrapper, NAMES, { now: () => start });
    const later = await loadOrCreateTlsMaterial(dir, wrapper, NAMES, { now: () => start + 300 * DAY });
    expect(later.cert).toBe(first.cert);
    const nearExpiry = start + 340 * DAY;
    const renewed = await loadOrCreateTlsMaterial(dir, wrapper, NAMES, { now: () => nearExpiry });
    expect(renewed.cert).not.toBe(first.cert);
    expect(renewed.caCert).toBe(first.caCert);
    expect(Date.parse(new X509Certificate(renewed.cert).validTo)).toBeGreaterThan(nearExpiry + 300 * DAY);
  });

  it('uses the machine\'s own names by default', async () => {
    const dir = dataDir();
    const material = await loadOrCreateTlsMaterial(dir, headlessKeyWrapper(dir, {}));
    const described = describeTls(material);
    const names = machineNames();
    expect(described.dnsNames).toEqual(names.hostnames);
    expect(described.ipAddresses).toEqual(names.addresses);
    expect(described.dnsNames).toContain('localhost');
    expect(described.ipAddresses).toEqual(expect.arrayContaining(['127.0.0.1', '::1']));
  });

  it('describes the material for display', async () => {
    const dir = dataDir();
    const material = await loadOrCreateTlsMaterial(dir, headlessKeyWrapper(dir, {}), NAMES);
    const d = describeTls(material);
    expect(d.source).toBe('generated');
    expect(d.subject).toContain('CN=keyrack.test');
    expect(d.issuer).toContain('Keyrack local CA');
    expect(d.caSubject).toBe(d.issuer);
    expect(d.dnsNames).toEqual(['keyrack.test', 'localhost']);
    expect(d.ipAddresses).toEqual(['127.0.0.1', '192.0.2.10', '::1']);
    expect(d.currentlyValid).toBe(true);
    expect(d.caFingerprint).toBe(material.caFingerprint);
    expect(d.fingerprint).toBe(new X509Certificate(material.cert).fingerprint256);
    expect(JSON.stringify(d)).not.toContain('PRIVATE');
  });

  it('creates a new CA only when asked to', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const first = await loadOrCreateTlsMaterial(dir, wrapper, NAMES);
    await discardCertificateAuthority(dir);
    const second = await loadOrCreateTlsMaterial(dir, wrapper, NAMES);
    expect(second.caFingerprint).not.toBe(first.caFingerprint);
    expect(new X509Certificate(second.cert).verify(new X509Certificate(second.caCert).publicKey)).toBe(true);
  });

  it('gives every concurrent caller the same CA', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateTlsMaterial(dir, wrapper, NAMES)));
    expect(new Set(all.map((m) => m.caFingerprint)).size).toBe(1);
    expect(new Set(all.map((m) => m.cert)).size).toBe(1);
  });
});

function installedFiles(dir: string): string[] {
  return existsSync(tlsDir(dir)) ? readdirSync(tlsDir(dir)).filter((f) => f.startsWith('installed')) : [];
}

describe('installed certificates', () => {
  /** An admin's own PKI: a CA, and a server certificate for `names` issued by it. */
  async function adminPki(notBefore = new Date(Date.now() - DAY), notAfter = new Date(Date.now() + 90 * DAY)) {
    const ca = await createCertificateAuthority('Office CA', new Date(Date.now() - DAY), new Date(Date.now() + 3650 * DAY));
    const server = await issueServerCertificate(ca, { hostnames: ['keyrack.office.test'], addresses: ['127.0.0.1'] }, notBefore, notAfter);
    const keyPem = `-----BEGIN PRIVATE KEY-----\n${server.keyPkcs8.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
    return { ca, certPem: server.certPem, chainPem: server.certPem + ca.certPem, keyPem };
  }

  it('installs a valid certificate and key, serves with it, and goes back to Keyrack\'s CA on removal', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const generated = await loadOrCreateTlsMaterial(dir, wrapper, NAMES);
    const pki = await adminPki();
    const installed = await installCertificate(dir, wrapper, pki.chainPem, pki.keyPem);
    expect(installed.source).toBe('installed');
    expect(installed.caFingerprint).toBe(new X509Certificate(pki.ca.certPem).fingerprint256);
    expect(await loadOrCreateTlsMaterial(dir, wrapper, NAMES)).toEqual(installed);
    expect(await handshake(installed, pki.ca.certPem, 'keyrack.office.test')).toBe('ok');
    expect(describeTls(installed).subject).toContain('keyrack.office.test');
    for (const file of readdirSync(tlsDir(dir))) {
      expect(readFileSync(join(tlsDir(dir), file)).toString('latin1')).not.toContain('PRIVATE KEY');
    }

    expect(await removeInstalledCertificate(dir)).toBe(true);
    expect(await removeInstalledCertificate(dir)).toBe(false);
    const back = await loadOrCreateTlsMaterial(dir, wrapper, NAMES);
    expect(back.source).toBe('generated');
    expect(back.caFingerprint).toBe(generated.caFingerprint);
  });

  it('refuses a key that does not belong to the certificate, and installs nothing', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const pki = await adminPki();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherPem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const error = await installCertificate(dir, wrapper, pki.certPem, otherPem).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ key: expect.stringMatching(/does not belong/) });
    expect(installedFiles(dir)).toEqual([]);
  });

  it('refuses expired, not yet valid, CA, misordered, unparsable and passphrase-protected input with clear messages', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const expired = await adminPki(new Date(Date.now() - 30 * DAY), new Date(Date.now() - DAY));
    await expect(installCertificate(dir, wrapper, expired.certPem, expired.keyPem)).rejects.toThrow(/expired/);
    const future = await adminPki(new Date(Date.now() + DAY), new Date(Date.now() + 30 * DAY));
    await expect(installCertificate(dir, wrapper, future.certPem, future.keyPem)).rejects.toThrow(/not valid before/);

    const pki = await adminPki();
    const caKeyPem = `-----BEGIN PRIVATE KEY-----\n${pki.ca.keyPkcs8.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    await expect(installCertificate(dir, wrapper, pki.ca.certPem, caKeyPem)).rejects.toThrow(/certificate authority/);
    await expect(installCertificate(dir, wrapper, pki.ca.certPem + pki.certPem, pki.keyPem)).rejects.toThrow(/does not belong|not signed/);
    const unrelated = await createCertificateAuthority('x', new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    await expect(installCertificate(dir, wrapper, pki.certPem + unrelated.certPem, pki.keyPem)).rejects.toThrow(/not signed by certificate 2/);
    await expect(installCertificate(dir, wrapper, 'hello', pki.keyPem)).rejects.toThrow(/no PEM certificate/);
    await expect(
      installCertificate(dir, wrapper, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', pki.keyPem),
    ).rejects.toThrow(/does not parse/);
    await expect(installCertificate(dir, wrapper, pki.certPem, 'not a key')).rejects.toThrow(/no private key/);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    await expect(installCertificate(dir, wrapper, pki.certPem, encrypted)).rejects.toThrow(/passphrase/);
    expect(installedFiles(dir)).toEqual([]);
  });

  it('reads a certificate file written with Windows line endings', async () => {
    const dir = dataDir();
    const wrapper = headlessKeyWrapper(dir, {});
    const pki = await adminPki();
    const file = join(dir, 'chain.pem');
    writeFileSync(file, pki.chainPem.replace(/\n/g, '\r\n'));
    const installed = await installCertificate(dir, wrapper, readFileSync(file, 'utf8'), pki.keyPem.replace(/\n/g, '\r\n'));
    expect(installed.source).toBe('installed');
  });
});
