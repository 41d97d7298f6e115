import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSecureContext } from 'node:tls';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../../shared/errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { KeyWrapper } from './key-wrap.js';
import { permits, type PermittedNames } from './name-constraints.js';
import {
  ANY_EXTENDED_KEY_USAGE_OID,
  SERVER_AUTH_OID,
  certificateNameConstraints,
  certificateNames,
  certificateUsage,
  createCertificateAuthority,
  issueServerCertificate,
  normalizeNames,
  type IssuedCertificate,
  type MachineNames,
} from './x509-issue.js';

/**
 * The token server's TLS material. Keyrack creates its own certificate authority on first use and a server
 * certificate for this machine's names, signed by it; integrators trust the CA certificate (compared by its
 * fingerprint). An admin may install their own certificate instead. Layout of `<dataDir>/tls/`:
 *   ca.crt, ca.key.wrapped            Keyrack's CA (certificate PEM, PKCS#8 key wrapped by the KeyWrapper)
 *   server.crt, server.key.wrapped    the server certificate it issued
 *   installed.crt, installed.key.wrapped   the admin's own certificate chain and key, when installed
 * Private keys never touch the disk unwrapped. Every file is written atomically with mode 0600.
 */

export interface TlsMaterial {
  /** The server's private key, PEM (PKCS#8): for the TLS server only, never logged or exported. */
  key: string;
  /** The server certificate (followed by its chain for an installed certificate), PEM. */
  cert: string;
  /** The certificate integrators trust: Keyrack's CA, or the top of an installed chain. PEM. */
  caCert: string;
  /** SHA-256 of caCert's DER, uppercase hex pairs joined by ':' (as browsers show it). */
  caFingerprint: string;
  source: 'generated' | 'installed';
  /** What this load did and found (generated material only): for the server's log line. */
  report?: TlsLoadReport | undefined;
}

export interface TlsLoadReport {
  /** Set when this load issued a new server certificate: for which names and why. */
  issued: { names: MachineNames; reason: 'first' | 'names' | 'renewal' | 'ca' } | null;
  /** Names asked for that the CA's name constraints do not permit: left out of the certificate. */
  notCovered: string[];
  /** False for a CA created before issue 17: no name constraints, its key could vouch for any name. */
  caConstrained: boolean;
}

/**
 * Modern TLS only (RFC 9325 §4.2, BCP 195): TLS 1.2 offers nothing but AEAD suites with forward secrecy,
 * ECDHE with AES-GCM or ChaCha20-Poly1305 (for ECDSA keys, ours, and RSA keys, an installed certificate's);
 * no CBC (Lucky 13 and its kin), no static RSA key exchange, no CCM8 (a 64-bit tag), no ARIA or CAMELLIA, no
 * finite-field DHE (RFC 9325 §4.1 discourages it). TLS 1.3 keeps Node's default suites, all AEAD with
 * forward secrecy; they are named here because a list without TLS 1.3 names turns TLS 1.3 off in Node.
 */
export const TLS_CIPHERS = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** The TLS options of the token server (and anything else that serves with this material). */
export const TLS_SERVER_OPTIONS = { minVersion: 'TLSv1.2', ciphers: TLS_CIPHERS, honorCipherOrder: true } as const;

/** For display (app and `keyrack tls show`): no key material. */
export interface TlsDescription {
  source: 'generated' | 'installed';
  subject: string;
  issuer: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: number;
  notAfter: number;
  /** Whether the server certificate is valid at the time of the description. */
  currentlyValid: boolean;
  fingerprint: string;
  caSubject: string;
  caFingerprint: string;
  caNotAfter: number;
}

export interface TlsOptions {
  /** Epoch ms; tests pass a controllable clock. */
  now?: () => number;
}

const DAY_MS = 86_400_000;
/** Long-lived: integrators trust it once. Reissued only by `keyrack tls reset --new-ca` or on expiry. */
const CA_LIFETIME_MS = 20 * 365 * DAY_MS;
/** CA/Browser Forum limit (and what Apple platforms enforce for TLS server certificates): at most 397 days. */
const SERVER_LIFETIME_MS = 365 * DAY_MS;
/** Reissue the server certificate this long before it expires. */
const SERVER_RENEW_BEFORE_MS = 30 * DAY_MS;
/** Tolerate a little clock skew on clients. The total validity still stays under 397 days. */
const BACKDATE_MS = 60 * 60 * 1000;

const TLS_DIR = 'tls';
const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key.wrapped',
  serverCert: 'server.crt',
  serverKey: 'server.key.wrapped',
  installedCert: 'installed.crt',
  installedKey: 'installed.key.wrapped',
  lock: '.lock',
} as const;

/** The machine's names: its host name and `localhost`, loopback, and its LAN addresses. */
export function machineNames(): MachineNames {
  const addresses = ['127.0.0.1', '::1'];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      // Link-local IPv6 addresses need a zone id that a certificate cannot carry; clients do not use them.
      if (entry.family === 'IPv6' && ipaddr.parse(entry.address).range() === 'linkLocal') continue;
      addresses.push(entry.address);
    }
  }
  return normalizeNames({ hostnames: [hostname(), 'localhost'], addresses });
}

/**
 * The names a server certificate must carry for a server listening on `listenHost` with `issuer`: the
 * machine's names, the listen address unless it is a wildcard (clients reach the server by it), and the
 * issuer's host (clients reach the server by the name in its metadata and tokens). A certificate without
 * the name a client uses fails verification (RFC 6125 §6).
 */
export function serverNamesFor(base: MachineNames, listenHost: string, issuer: string | null): MachineNames {
  const names = { hostnames: [...base.hostnames], addresses: [...base.addresses] };
  const add = (name: string) => (ipaddr.isValid(name) ? names.addresses : names.hostnames).push(name);
  if (listenHost !== '0.0.0.0' && listenHost !== '::' && listenHost !== '') add(listenHost);
  if (issuer) {
    try {
      add(new URL(issuer).hostname.replace(/^\[(.*)\]$/, '$1'));
    } catch {
      // not a URL: the settings validate it, nothing to name here
    }
  }
  return normalizeNames(names);
}

/**
 * What a new CA is constrained to (RFC 5280 §4.2.1.10): the DNS names it is created for (each also permits
 * the names below it), and for addresses: loopback, the subnet of each LAN address on this machine's
 * interfaces (a new address from the same DHCP pool stays covered), and any other address by itself. A
 * name outside needs a new CA, which integrators must trust again (docs/token-server.md).
 */
export function caPermittedNames(names: MachineNames): PermittedNames {
  const subnets = new Map<string, string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.cidr) subnets.set(ipaddr.parse(entry.address).toString(), entry.cidr);
    }
  }
  const ip = new Set<string>();
  for (const address of names.addresses) {
    const parsed = ipaddr.parse(address);
    if (parsed.range() === 'loopback') ip.add(parsed.kind() === 'ipv4' ? '127.0.0.0/8' : '::1/128');
    else {
      const cidr = subnets.get(parsed.toString());
      if (cidr) {
        const bits = ipaddr.parseCIDR(cidr)[1];
        const first = (parsed.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(cidr);
        ip.add(`${first.toString()}/${bits}`);
      } else ip.add(`${parsed.toString()}/${parsed.kind() === 'ipv4' ? 32 : 128}`);
    }
  }
  return { dns: [...names.hostnames], ip: [...ip].sort() };
}

export function tlsDir(dataDir: string): string {
  return join(dataDir, TLS_DIR);
}

/**
 * The material the token server listens with. First use creates the CA (constrained to the names asked
 * for, caPermittedNames) and a server certificate; later uses reissue the server certificate (same CA)
 * when the names changed, it is within 30 days of expiry, or it no longer belongs to the CA. Names given
 * must be exactly the certificate's (the server passes every name it is reached by, serverNamesFor);
 * without them the machine's names must be among the certificate's (a CLI command that shows or exports
 * the CA leaves the server's extra names alone). Names the CA's constraints do not permit are left out and
 * reported. An installed certificate is used as is.
 */
export async function loadOrCreateTlsMaterial(
  dataDir: string,
  wrapper: KeyWrapper,
  names?: { hostnames: string[]; addresses: string[] },
  options: TlsOptions = {},
): Promise<TlsMaterial> {
  const dir = ensureTlsDir(dataDir);
  const now = options.now?.() ?? Date.now();
  return withLock(dir, async () => {
    if (existsSync(join(dir, FILES.installedCert))) return loadInstalled(dir, wrapper);
    const asked = normalizeNames(names ?? machineNames());
    const caCertPem = await loadOrCreateCa(dir, wrapper, now, asked);
    const constraints = certificateNameConstraints(caCertPem);
    const covered = (name: string) => constraints === null || permits(constraints, name);
    const wanted = { hostnames: asked.hostnames.filter(covered), addresses: asked.addresses.filter(covered) };
    const notCovered = [...asked.hostnames, ...asked.addresses].filter((name) => !covered(name));
    let server = readServer(dir, wrapper);
    const reason = server ? reissueReason(server.certPem, server.key, caCertPem, wanted, names !== undefined, now) : 'first';
    let issued: TlsLoadReport['issued'] = null;
    if (!server || reason) {
      const pair = await issueServerCertificate(
        { certPem: caCertPem, keyPkcs8: unwrapKeyFile(dir, FILES.caKey, wrapper) },
        wanted,
        new Date(now - BACKDATE_MS),
        new Date(now + SERVER_LIFETIME_MS),
      );
      writeKeyPair(dir, FILES.serverCert, FILES.serverKey, pair, wrapper);
      server = { certPem: pair.certPem, key: pkcs8Key(pair.keyPkcs8) };
      issued = { names: wanted, reason: reason ?? 'first' };
    }
    return {
      key: server.key.export({ type: 'pkcs8', format: 'pem' }).toString(),
      cert: server.certPem,
      caCert: caCertPem,
      caFingerprint: new X509Certificate(caCertPem).fingerprint256,
      source: 'generated',
      report: { issued, notCovered, caConstrained: constraints !== null },
    };
  });
}

/**
 * Installs the admin's own certificate (leaf first, then any intermediates) and its private key, after
 * checking that both parse, the key belongs to the certificate, the certificate is valid now, is meant for
 * a TLS server, and each chain certificate is signed by the next. Errors name the field at fault.
 */
export async function installCertificate(
  dataDir: string,
  wrapper: KeyWrapper,
  certPem: string,
  keyPem: string,
  options: TlsOptions = {},
): Promise<TlsMaterial> {
  const now = options.now?.() ?? Date.now();
  const chain = parseChain(certPem);
  const key = parsePrivateKey(keyPem);
  checkInstallable(chain, key, now);
  const dir = ensureTlsDir(dataDir);
  await withLock(dir, async () => {
    // The key first: a reader that sees installed.crt must find its key.
    writeFileAtomic(join(dir, FILES.installedKey), wrapper.wrap(pkcs8Der(key)));
    writeFileAtomic(join(dir, FILES.installedCert), chain.map((c) => c.toString()).join(''));
  });
  return loadOrCreateTlsMaterial(dataDir, wrapper, undefined, options);
}

/** Goes back to Keyrack's own CA. Returns whether an installed certificate was removed. */
export async function removeInstalledCertificate(dataDir: string): Promise<boolean> {
  const dir = ensureTlsDir(dataDir);
  return withLock(dir, async () => {
    const existed = existsSync(join(dir, FILES.installedCert));
    // The certificate first: without it the leftover key is never read.
    rmSync(join(dir, FILES.installedCert), { force: true });
    rmSync(join(dir, FILES.installedKey), { force: true });
    return existed;
  });
}

/**
 * Throws away Keyrack's CA and its server certificate so the next load creates new ones. Every integrator
 * must then trust the new CA certificate: an explicit admin action only (`keyrack tls reset --new-ca`).
 */
export async function discardCertificateAuthority(dataDir: string): Promise<void> {
  const dir = ensureTlsDir(dataDir);
  await withLock(dir, async () => {
    for (const file of [FILES.caCert, FILES.serverCert, FILES.serverKey, FILES.caKey]) {
      rmSync(join(dir, file), { force: true });
    }
  });
}

/** The public half of the material: what display and export need, without unwrapping any key. */
export type TlsCertificates = Omit<TlsMaterial, 'key'>;

/**
 * The certificates in use as they are on disk, or null before the first loadOrCreateTlsMaterial. Reads no
 * private key, so it works whichever KeyWrapper (desktop keychain or headless key file) wrapped them.
 */
export function readTlsCertificates(dataDir: string): TlsCertificates | null {
  const dir = tlsDir(dataDir);
  const installed = join(dir, FILES.installedCert);
  if (existsSync(installed)) {
    const chain = parseChain(readFileSync(installed, 'utf8'));
    const top = chain[chain.length - 1]!;
    return { cert: chain.map((c) => c.toString()).join(''), caCert: top.toString(), caFingerprint: top.fingerprint256, source: 'installed' };
  }
  const caFile = join(dir, FILES.caCert);
  const serverFile = join(dir, FILES.serverCert);
  if (!existsSync(caFile) || !existsSync(serverFile)) return null;
  const caCert = readFileSync(caFile, 'utf8');
  return { cert: readFileSync(serverFile, 'utf8'), caCert, caFingerprint: new X509Certificate(caCert).fingerprint256, source: 'generated' };
}

/** What to show about the material: subject, names, validity, fingerprints, source. */
export function describeTls(material: TlsCertificates, options: TlsOptions = {}): TlsDescription {
  const now = options.now?.() ?? Date.now();
  const [leaf] = parseChain(material.cert);
  const ca = new X509Certificate(material.caCert);
  const names = certificateNames(leaf!.toString());
  const notBefore = Date.parse(leaf!.validFrom);
  const notAfter = Date.parse(leaf!.validTo);
  return {
    source: material.source,
    subject: oneLine(leaf!.subject),
    issuer: oneLine(leaf!.issuer),
    dnsNames: names.hostnames,
    ipAddresses: names.addresses,
    notBefore,
    notAfter,
    currentlyValid: notBefore <= now && now <= notAfter,
    fingerprint: leaf!.fingerprint256,
    caSubject: oneLine(ca.subject),
    caFingerprint: material.caFingerprint,
    caNotAfter: Date.parse(ca.validTo),
  };
}

// ---- Keyrack's CA and server certificate ----

/**
 * The CA in use, or a new one constrained to `names`. An existing CA is kept as it is, constraints or not:
 * integrators trust it, and replacing it is the admin's decision (`keyrack tls reset --new-ca`).
 */
async function loadOrCreateCa(dir: string, wrapper: KeyWrapper, now: number, names: MachineNames): Promise<string> {
  const certFile = join(dir, FILES.caCert);
  const keyFile = join(dir, FILES.caKey);
  if (existsSync(certFile)) {
    if (!existsSync(keyFile)) {
      throw new Error(`${keyFile} is missing, so Keyrack cannot issue server certificates; run: keyrack tls reset --new-ca`);
    }
    const pem = readFileSync(certFile, 'utf8');
    // An expired CA can no longer vouch for anything; a new one is the only way forward.
    if (Date.parse(new X509Certificate(pem).validTo) > now) return pem;
  }
  const ca = await createCertificateAuthority(
    `Keyrack local CA (${hostname()})`,
    new Date(now - BACKDATE_MS),
    new Date(now + CA_LIFETIME_MS),
    caPermittedNames(names),
  );
  writeKeyPair(dir, FILES.caCert, FILES.caKey, ca, wrapper);
  // A new CA invalidates the old server certificate.
  rmSync(join(dir, FILES.serverCert), { force: true });
  return ca.certPem;
}

function readServer(dir: string, wrapper: KeyWrapper): { certPem: string; key: KeyObject } | null {
  const certFile = join(dir, FILES.serverCert);
  if (!existsSync(certFile) || !existsSync(join(dir, FILES.serverKey))) return null;
  return { certPem: readFileSync(certFile, 'utf8'), key: pkcs8Key(unwrapKeyFile(dir, FILES.serverKey, wrapper)) };
}

/** Why the server certificate must be issued again, or null. `exact`: the names must be exactly `wanted`. */
function reissueReason(
  certPem: string,
  key: KeyObject,
  caPem: string,
  wanted: MachineNames,
  exact: boolean,
  now: number,
): 'ca' | 'renewal' | 'names' | null {
  const cert = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey) || !cert.checkPrivateKey(key)) return 'ca';
  if (Date.parse(cert.validFrom) > now || Date.parse(cert.validTo) - now < SERVER_RENEW_BEFORE_MS) return 'renewal';
  const current = certificateNames(certPem);
  if (exact) {
    return sameList(current.hostnames, wanted.hostnames) && sameList(current.addresses, wanted.addresses) ? null : 'names';
  }
  const has = (list: string[], names: string[]) => names.every((n) => list.includes(n));
  return has(current.hostnames, wanted.hostnames) && has(current.addresses, wanted.addresses) ? null : 'names';
}

function writeKeyPair(dir: string, certFile: string, keyFile: string, pair: IssuedCertificate, wrapper: KeyWrapper): void {
  // The key first, then the certificate that refers to it: a crash in between leaves a certificate
  // missing (regenerated next time), never a certificate with someone else's key.
  writeFileAtomic(join(dir, keyFile), wrapper.wrap(pair.keyPkcs8));
  writeFileAtomic(join(dir, certFile), pair.certPem);
}

// ---- installed certificates ----

function loadInstalled(dir: string, wrapper: KeyWrapper): TlsMaterial {
  const chain = parseChain(readFileSync(join(dir, FILES.installedCert), 'utf8'));
  const key = pkcs8Key(unwrapKeyFile(dir, FILES.installedKey, wrapper));
  const top = chain[chain.length - 1]!;
  return {
    key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    cert: chain.map((c) => c.toString()).join(''),
    caCert: top.toString(),
    caFingerprint: top.fingerprint256,
    source: 'installed',
  };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function parseChain(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ValidationError({ cert: 'no PEM certificate (-----BEGIN CERTIFICATE-----) found' });
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new ValidationError({ cert: `certificate ${index + 1} in the file does not parse` });
    }
  });
}

function parsePrivateKey(pem: string): KeyObject {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new ValidationError({
      key: 'the private key is protected by a passphrase; give the unencrypted key (openssl pkey -in key.pem -out plain.pem), Keyrack encrypts it at rest itself',
    });
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new ValidationError({ key: 'no private key in PEM form (-----BEGIN PRIVATE KEY-----) found' });
  }
}

function checkInstallable(chain: X509Certificate[], key: KeyObject, now: number): void {
  const leaf = chain[0]!;
  if (!leaf.checkPrivateKey(key)) {
    throw new ValidationError({ key: 'this private key does not belong to the certificate (the first one in the file)' });
  }
  const notBefore = Date.parse(leaf.validFrom);
  const notAfter = Date.parse(leaf.validTo);
  if (now < notBefore) throw new ValidationError({ cert: `the certificate is not valid before ${leaf.validFrom}` });
  if (now > notAfter) throw new ValidationError({ cert: `the certificate expired on ${leaf.validTo}` });
  const usage = certificateUsage(leaf.toString());
  if (usage.isCa) {
    throw new ValidationError({ cert: 'this is a certificate authority; install the server certificate issued by it' });
  }
  if (usage.extendedKeyUsages && !usage.extendedKeyUsages.some((u) => u === SERVER_AUTH_OID || u === ANY_EXTENDED_KEY_USAGE_OID)) {
    throw new ValidationError({ cert: 'the certificate is not for TLS servers (its extended key usage lacks serverAuth)' });
  }
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const child = chain[i]!;
    const parent = chain[i + 1]!;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw new ValidationError({
        cert: `certificate ${i + 1} in the file is not signed by certificate ${i + 2}; order the chain leaf first`,
      });
    }
  }
  try {
    createSecureContext({ key: key.export({ type: 'pkcs8', format: 'pem' }), cert: chain.map((c) => c.toString()).join('') });
  } catch {
    throw new ValidationError({ cert: 'Node\'s TLS stack does not accept this certificate and key' });
  }
}

// ---- files and keys ----

function ensureTlsDir(dataDir: string): string {
  const dir = tlsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function unwrapKeyFile(dir: string, file: string, wrapper: KeyWrapper): Buffer {
  return wrapper.unwrap(readFileSync(join(dir, file)));
}

function pkcs8Key(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function pkcs8Der(key: KeyObject): Buffer {
  return key.export({ type: 'pkcs8', format: 'der' });
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

const LOCK_STALE_MS = 60_000;
const LOCK_WAIT_MS = 15_000;

/**
 * The app and a CLI command may load the material at the same moment; an exclusive lock file keeps them
 * from creating two CAs and pairing one's certificate with the other's key. A lock older than a minute is
 * left over from a crash and taken over.
 */
async function withLock<T>(dir: string, body: () => Promise<T>): Promise<T> {
  const lock = join(dir, FILES.lock);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lock} is held by another Keyrack process; try again`);
      await sleep(50);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false; // released meanwhile: try again
  }
}
