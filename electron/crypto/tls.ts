import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSecureContext } from 'node:tls';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../../shared/errors.js';
import type { Store } from '../db/store.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { deleteTlsAuthority, findTlsAuthority, insertTlsAuthorityIfAbsent, type TlsAuthorityRecord } from '../repos/tls-authorities.repo.js';
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
 * fingerprint). An admin may install their own certificate instead.
 *
 * Where the CA lives (issue 10): in the store (tls_authorities, migration 0140), shared by every node over
 * it, its key wrapped by the KeyWrapper (the master key every node is given); each node issues its own
 * server certificate from it, kept in its data folder. A data folder alone (TlsHome as a plain path: a
 * standalone server with no store, as the benchmark's upstream relay) keeps the CA in tls/ as before.
 * Layout of `<dataDir>/tls/`:
 *   ca.crt, ca.key.wrapped            Keyrack's CA, in folder-only homes (and before a store held it)
 *   ca.crt.before-store, ca.key.wrapped.before-store   that CA once it moved to the store (or the store
 *                                     already had another): kept, never read again
 *   server.crt, server.key.wrapped    the server certificate it issued for this node
 *   installed.crt, installed.key.wrapped   the admin's own certificate chain and key, when installed
 * Private keys never touch the disk or the store unwrapped. Every file is written atomically with mode 0600.
 */

/**
 * A node's TLS home: its data folder (server certificate, an installed one) and the store holding the shared
 * CA; or a data folder alone, whose tls/ holds the CA too (a standalone server with no store).
 */
export type TlsHome = string | { dataDir: string; store: Store };

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
  /**
   * Set when this load found a CA in the data folder's tls/ from before the store held it: `moved` into the
   * store (same certificate, same fingerprint), or `superseded` because the store already had another CA
   * (integrators who trusted this one must trust the store's). Either way the files are kept as *.before-store.
   */
  folderCa?: { fingerprint: string; outcome: 'moved' | 'superseded' };
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
  /** Suffix of a folder CA's files once the store holds the CA (kept: nothing is lost, never read again). */
  beforeStore: '.before-store',
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

function homeOf(home: TlsHome): { dataDir: string; store: Store | null } {
  return typeof home === 'string' ? { dataDir: home, store: null } : home;
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
  home: TlsHome,
  wrapper: KeyWrapper,
  names?: { hostnames: string[]; addresses: string[] },
  options: TlsOptions = {},
): Promise<TlsMaterial> {
  const { dataDir, store } = homeOf(home);
  const dir = ensureTlsDir(dataDir);
  const now = options.now?.() ?? Date.now();
  return withLock(dir, async () => {
    if (existsSync(join(dir, FILES.installedCert))) return loadInstalled(dir, wrapper);
    const asked = normalizeNames(names ?? machineNames());
    const ca = store ? await loadOrCreateStoreCa(store, dir, wrapper, now, asked) : await loadOrCreateFolderCa(dir, wrapper, now, asked);
    const caCertPem = ca.certPem;
    const constraints = certificateNameConstraints(caCertPem);
    const covered = (name: string) => constraints === null || permits(constraints, name);
    const wanted = { hostnames: asked.hostnames.filter(covered), addresses: asked.addresses.filter(covered) };
    const notCovered = [...asked.hostnames, ...asked.addresses].filter((name) => !covered(name));
    let server = readServer(dir, wrapper);
    const reason = server ? reissueReason(server.certPem, server.key, caCertPem, wanted, names !== undefined, now) : 'first';
    let issued: TlsLoadReport['issued'] = null;
    if (!server || reason) {
      const pair = await issueServerCertificate(
        { certPem: caCertPem, keyPkcs8: unwrapCaKey(ca, wrapper, store !== null) },
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
      report: { issued, notCovered, caConstrained: constraints !== null, ...(ca.folderCa && { folderCa: ca.folderCa }) },
    };
  });
}

/**
 * Installs the admin's own certificate (leaf first, then any intermediates) and its private key, after
 * checking that both parse, the key belongs to the certificate, the certificate is valid now, is meant for
 * a TLS server, and each chain certificate is signed by the next. Errors name the field at fault.
 */
export async function installCertificate(
  home: TlsHome,
  wrapper: KeyWrapper,
  certPem: string,
  keyPem: string,
  options: TlsOptions = {},
): Promise<TlsMaterial> {
  const now = options.now?.() ?? Date.now();
  const chain = parseChain(certPem);
  const key = parsePrivateKey(keyPem);
  checkInstallable(chain, key, now);
  // An installed certificate names this node: it stays in the node's data folder.
  const dir = ensureTlsDir(homeOf(home).dataDir);
  await withLock(dir, async () => {
    // The key first: a reader that sees installed.crt must find its key.
    writeFileAtomic(join(dir, FILES.installedKey), wrapper.wrap(pkcs8Der(key)));
    writeFileAtomic(join(dir, FILES.installedCert), chain.map((c) => c.toString()).join(''));
  });
  return loadOrCreateTlsMaterial(home, wrapper, undefined, options);
}

/** Goes back to Keyrack's own CA. Returns whether an installed certificate was removed. */
export async function removeInstalledCertificate(home: TlsHome): Promise<boolean> {
  const dir = ensureTlsDir(homeOf(home).dataDir);
  return withLock(dir, async () => {
    const existed = existsSync(join(dir, FILES.installedCert));
    // The certificate first: without it the leftover key is never read.
    rmSync(join(dir, FILES.installedCert), { force: true });
    rmSync(join(dir, FILES.installedKey), { force: true });
    return existed;
  });
}

/**
 * Throws away Keyrack's CA and this node's server certificate so the next load creates new ones. Every
 * integrator must then trust the new CA certificate: an explicit admin action only (`keyrack tls reset
 * --new-ca`). With a store the CA goes for every node: the others issue themselves a certificate from the
 * new CA the next time they load their material (a restart); until then they serve the old one. A CA left
 * in this folder from before the store goes too, or the next load would move it back into the store.
 */
export async function discardCertificateAuthority(home: TlsHome): Promise<void> {
  const { dataDir, store } = homeOf(home);
  const dir = ensureTlsDir(dataDir);
  await withLock(dir, async () => {
    if (store) await store.transaction((tx) => deleteTlsAuthority(tx, 'server'));
    for (const file of [FILES.caCert, FILES.serverCert, FILES.serverKey, FILES.caKey]) {
      rmSync(join(dir, file), { force: true });
    }
  });
}

/** The public half of the material: what display and export need, without unwrapping any key. */
export type TlsCertificates = Omit<TlsMaterial, 'key'>;

/**
 * The certificates in use: an installed one, else the CA (the store's, else one still in the folder) and this
 * node's server certificate; null before this node's first loadOrCreateTlsMaterial. Reads no private key, so
 * it works whichever KeyWrapper (desktop keychain or headless key file) wrapped them.
 */
export async function readTlsCertificates(home: TlsHome): Promise<TlsCertificates | null> {
  const { dataDir, store } = homeOf(home);
  const dir = tlsDir(dataDir);
  const installed = join(dir, FILES.installedCert);
  if (existsSync(installed)) {
    const chain = parseChain(readFileSync(installed, 'utf8'));
    const top = chain[chain.length - 1]!;
    return { cert: chain.map((c) => c.toString()).join(''), caCert: top.toString(), caFingerprint: top.fingerprint256, source: 'installed' };
  }
  const serverFile = join(dir, FILES.serverCert);
  if (!existsSync(serverFile)) return null;
  const caFile = join(dir, FILES.caCert);
  const caCert = (store && (await findTlsAuthority(store, 'server'))?.certPem) ?? (existsSync(caFile) ? readFileSync(caFile, 'utf8') : null);
  if (caCert === null) return null;
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

/** The CA as it is kept, in the store or in a folder: its certificate and its wrapped private key. */
interface KeptCa {
  certPem: string;
  wrappedKey: Buffer;
  /** What became of a CA found in the folder from before the store held it (store homes only). */
  folderCa?: TlsLoadReport['folderCa'];
}

/**
 * A folder-only home's CA (tls/ca.crt, ca.key.wrapped), or a new one constrained to `names`. An existing CA
 * is kept as it is, constraints or not: integrators trust it, and replacing it is the admin's decision
 * (`keyrack tls reset --new-ca`).
 */
async function loadOrCreateFolderCa(dir: string, wrapper: KeyWrapper, now: number, names: MachineNames): Promise<KeptCa> {
  const existing = readFolderCa(dir);
  if (existing && !expired(existing.certPem, now)) return existing;
  const ca = await newCa(now, names);
  const wrappedKey = wrapper.wrap(ca.keyPkcs8);
  // The key first, then the certificate that refers to it (writeKeyPair says why).
  writeFileAtomic(join(dir, FILES.caKey), wrappedKey);
  writeFileAtomic(join(dir, FILES.caCert), ca.certPem);
  // A new CA invalidates the old server certificate.
  rmSync(join(dir, FILES.serverCert), { force: true });
  return { certPem: ca.certPem, wrappedKey };
}

/**
 * The store's CA, shared by every node over it. When the store has none (or only an expired one): the CA in
 * this folder's tls/ from before the store, moved in as it is (integrators already trust its fingerprint),
 * else a new one constrained to this node's `names`. The key is generated outside the transaction (it
 * takes a while and the transaction holds the store's write lock); the transaction then stores it only if
 * no other node stored one meanwhile, and every node uses what is there after it: one CA, whoever wins.
 */
async function loadOrCreateStoreCa(store: Store, dir: string, wrapper: KeyWrapper, now: number, names: MachineNames): Promise<KeptCa> {
  const stored = await findTlsAuthority(store, 'server');
  if (stored && !expired(stored.certPem, now)) {
    return { certPem: stored.certPem, wrappedKey: stored.wrappedKey, folderCa: retireFolderCa(dir, stored) };
  }
  const folder = readFolderCa(dir);
  // A folder CA is moved only once it is known to be whole: its key unwraps and belongs to its certificate.
  const adoptable = folder && !expired(folder.certPem, now) && ownKey(folder, wrapper) ? folder : null;
  let candidate: TlsAuthorityRecord;
  if (adoptable) {
    candidate = authorityRecord(adoptable.certPem, adoptable.wrappedKey, 'adopted', now);
  } else {
    const ca = await newCa(now, names);
    candidate = authorityRecord(ca.certPem, wrapper.wrap(ca.keyPkcs8), 'created', now);
  }
  const winner = await store.transaction(async (tx) => {
    // An expired CA is replaced, but only if it is still the one read above (another node may have done it).
    if (stored) await deleteTlsAuthority(tx, 'server', stored.fingerprint);
    await insertTlsAuthorityIfAbsent(tx, candidate);
    return (await findTlsAuthority(tx, 'server'))!;
  });
  if (winner.fingerprint === candidate.fingerprint && candidate.origin === 'created') {
    // This node's new CA: its old server certificate is from another (reissued as 'first', as in a folder).
    rmSync(join(dir, FILES.serverCert), { force: true });
  }
  return { certPem: winner.certPem, wrappedKey: winner.wrappedKey, folderCa: retireFolderCa(dir, winner) };
}

/** The CA in the folder's tls/, or null; its certificate without its key is an error the admin must fix. */
function readFolderCa(dir: string): KeptCa | null {
  const certFile = join(dir, FILES.caCert);
  const keyFile = join(dir, FILES.caKey);
  if (!existsSync(certFile)) return null;
  if (!existsSync(keyFile)) {
    throw new Error(`${keyFile} is missing, so Keyrack cannot issue server certificates; run: keyrack tls reset --new-ca`);
  }
  return { certPem: readFileSync(certFile, 'utf8'), wrappedKey: readFileSync(keyFile) };
}

/**
 * Sets a folder's CA aside once the store holds the CA (this one, moved, or another): renamed to
 * *.before-store, kept (nothing is lost) and never read again, so a later reset cannot bring it back.
 * Undefined when the folder has none. A certificate whose key is missing is set aside too: the store's CA
 * does not need it.
 */
function retireFolderCa(dir: string, inStore: TlsAuthorityRecord): TlsLoadReport['folderCa'] {
  const certFile = join(dir, FILES.caCert);
  if (!existsSync(certFile)) return undefined;
  const fingerprint = new X509Certificate(readFileSync(certFile, 'utf8')).fingerprint256;
  // The certificate first: a key without its certificate is never read (readFolderCa).
  renameSync(certFile, certFile + FILES.beforeStore);
  const keyFile = join(dir, FILES.caKey);
  if (existsSync(keyFile)) renameSync(keyFile, keyFile + FILES.beforeStore);
  return { fingerprint, outcome: fingerprint === inStore.fingerprint ? 'moved' : 'superseded' };
}

function ownKey(ca: KeptCa, wrapper: KeyWrapper): boolean {
  return new X509Certificate(ca.certPem).checkPrivateKey(pkcs8Key(wrapper.unwrap(ca.wrappedKey)));
}

function authorityRecord(certPem: string, wrappedKey: Buffer, origin: TlsAuthorityRecord['origin'], now: number): TlsAuthorityRecord {
  return { purpose: 'server', certPem, wrappedKey, fingerprint: new X509Certificate(certPem).fingerprint256, origin, createdAt: now };
}

/** An expired CA can no longer vouch for anything; a new one is the only way forward. */
function expired(certPem: string, now: number): boolean {
  return Date.parse(new X509Certificate(certPem).validTo) <= now;
}

function newCa(now: number, names: MachineNames): Promise<IssuedCertificate> {
  return createCertificateAuthority(
    `Keyrack local CA (${hostname()})`,
    new Date(now - BACKDATE_MS),
    new Date(now + CA_LIFETIME_MS),
    caPermittedNames(names),
  );
}

/** The CA's private key; a store's CA names what to check when the node's master key is not the others'. */
function unwrapCaKey(ca: KeptCa, wrapper: KeyWrapper, inStore: boolean): Buffer {
  try {
    return wrapper.unwrap(ca.wrappedKey);
  } catch (error) {
    if (!inStore || !(error instanceof Error)) throw error;
    error.message += `; Keyrack's CA is in the store, wrapped by the master key every node is given: this node's (${wrapper.description}) must be the same`;
    throw error;
  }
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
