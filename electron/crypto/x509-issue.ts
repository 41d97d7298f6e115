// Must load before @peculiar/x509 (its dependency tsyringe checks for the Reflect metadata API on load).
import './x509-reflect.js';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import ipaddr from 'ipaddr.js';
import { decodeNameConstraints, encodeNameConstraints, NAME_CONSTRAINTS_OID, type PermittedNames } from './name-constraints.js';

/**
 * Issues Keyrack's own certificates: a local certificate authority and server certificates signed by it.
 * The only importer of @peculiar/x509 for issuing; keys are ECDSA P-256 created with Node's WebCrypto.
 */

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
/** @peculiar/x509 types its provider with the DOM's Crypto; Node's webcrypto implements the same interface. */
type PeculiarCrypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
const crypto = webcrypto;
const provider = webcrypto as unknown as PeculiarCrypto;

/** The DNS names and IP addresses a server certificate is valid for. */
export interface MachineNames {
  hostnames: string[];
  addresses: string[];
}

/** A certificate (PEM) and its private key (PKCS#8 DER, to be wrapped before it touches the disk). */
export interface IssuedCertificate {
  certPem: string;
  keyPkcs8: Buffer;
}

/**
 * Lowercased, deduplicated, sorted names; addresses in canonical form (RFC 5952 for IPv6) so that the names
 * wanted now compare equal to the names read back from a certificate.
 */
export function normalizeNames(names: MachineNames): MachineNames {
  const hostnames = [...new Set(names.hostnames.map((h) => h.trim().toLowerCase().replace(/\.$/, '')))]
    .filter(isDnsName)
    .sort();
  const addresses = [
    ...new Set(
      names.addresses.filter((a) => ipaddr.isValid(a.trim())).map((a) => ipaddr.parse(a.trim()).toString()),
    ),
  ].sort();
  return { hostnames, addresses };
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A name a certificate can carry as a dNSName (RFC 5280 §4.2.1.6: preferred name syntax). */
export function isDnsName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => DNS_LABEL.test(label));
}

/** RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 16 random bytes with the top bit cleared. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

async function generateKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function exportPkcs8(key: CryptoKey): Promise<Buffer> {
  return Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
}

/**
 * A self-signed CA (RFC 5280 §4.2.1.9 basicConstraints cA with pathLenConstraint 0: it signs server
 * certificates only, never another CA; §4.2.1.3 keyUsage keyCertSign + cRLSign, both critical). With
 * `permitted`, a critical nameConstraints extension (§4.2.1.10): a certificate it signs for any other name
 * fails verification at every client that enforces them (OpenSSL, and so Node and curl, do, on the trust
 * anchor too), so its stolen key cannot impersonate other hosts. Without, the CA of Keyrack before
 * issue 17 (tests of that case).
 */
export async function createCertificateAuthority(
  commonName: string,
  notBefore: Date,
  notAfter: Date,
  permitted?: PermittedNames,
): Promise<IssuedCertificate> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: [{ CN: [commonName] }, { O: ['Keyrack'] }],
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      keys: keys as never,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, provider),
        ...(permitted ? [new x509.Extension(NAME_CONSTRAINTS_OID, true, encodeNameConstraints(permitted))] : []),
      ],
    },
    provider,
  );
  return { certPem: cert.toString('pem'), keyPkcs8: await exportPkcs8(keys.privateKey) };
}

/**
 * A server certificate signed by the CA: not a CA itself, keyUsage digitalSignature (ECDHE-ECDSA), extended
 * key usage serverAuth, and the machine's names as subjectAltName (RFC 6125 §6.4: clients match the SAN, not
 * the CN), the CN set to the first host name for tools that still display it.
 */
export async function issueServerCertificate(
  ca: IssuedCertificate,
  names: MachineNames,
  notBefore: Date,
  notAfter: Date,
): Promise<IssuedCertificate> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await crypto.subtle.importKey('pkcs8', ca.keyPkcs8, KEY_ALGORITHM, false, ['sign']);
  const keys = await generateKeyPair();
  const sans: x509.JsonGeneralNames = [
    ...names.hostnames.map((value) => ({ type: 'dns' as const, value })),
    ...names.addresses.map((value) => ({ type: 'ip' as const, value })),
  ];
  if (sans.length === 0) throw new Error('a server certificate needs at least one host name or address');
  const commonName = names.hostnames[0] ?? names.addresses[0]!;
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: [{ CN: [commonName] }, { O: ['Keyrack'] }],
      issuer: caCert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: keys.publicKey as never,
      signingKey: caKey as never,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(sans, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never, false, provider),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false, provider),
      ],
    },
    provider,
  );
  return { certPem: cert.toString('pem'), keyPkcs8: await exportPkcs8(keys.privateKey) };
}

/** The names in a certificate's subjectAltName, normalized like normalizeNames. */
export function certificateNames(certPem: string): MachineNames {
  const cert = new x509.X509Certificate(certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const items = san?.names.items ?? [];
  return normalizeNames({
    hostnames: items.filter((n) => n.type === 'dns').map((n) => n.value),
    addresses: items.filter((n) => n.type === 'ip').map((n) => n.value),
  });
}

/** The names a CA may vouch for (its nameConstraints), or null when it has none: it may vouch for any. */
export function certificateNameConstraints(certPem: string): PermittedNames | null {
  const extension = new x509.X509Certificate(certPem).getExtension(NAME_CONSTRAINTS_OID);
  return extension ? decodeNameConstraints(Buffer.from(extension.value)) : null;
}

/** What an installed certificate says about its use: a CA flag, and its extended key usages if any. */
export function certificateUsage(certPem: string): { isCa: boolean; extendedKeyUsages: string[] | null } {
  const cert = new x509.X509Certificate(certPem);
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  return { isCa: constraints?.ca ?? false, extendedKeyUsages: eku ? eku.usages.map(String) : null };
}

export const SERVER_AUTH_OID: string = x509.ExtendedKeyUsage.serverAuth;
export const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';
