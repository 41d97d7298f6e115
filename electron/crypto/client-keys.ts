import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  errors,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from 'jose';
import { CLIENT_KEY_ALGS, type ClientKeyAlg } from '../../shared/domain.js';

/**
 * Clients' public keys (private_key_jwt, RFC 7523 §2.2): reading one an administrator hands over, and
 * verifying the client assertions made with it. The second importer of jose in electron/ beside
 * token-signer.ts (which signs and checks our own tokens): this one only ever holds other parties' public
 * keys, so the two jobs stay apart, each in one file (STYLE 8, eslint.config.js).
 */

/** RSA below this is refused (RFC 7518 §3.3: "2048 bits or larger MUST be used"). */
export const MIN_RSA_BITS = 2048;

/** A public key as the store keeps it. */
export interface ReadClientKey {
  kid: string;
  alg: ClientKeyAlg;
  /** kty and its public members only (crv/x/y, n/e, x), plus kid, alg and use: never d, p, q or k. */
  publicJwk: JWK;
}

/** Why a key text was refused, for the form's field message. */
export class ClientKeyProblem extends Error {}

/** JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Reads a public key given as PEM (SPKI, `-----BEGIN PUBLIC KEY-----`) or as a JWK (JSON; a JWK Set with one
 * key too). Refuses private keys (the private half must never enter the store), RSA under 2048 bits, curves
 * and algorithms other than ES256 (P-256), RS256 and EdDSA (Ed25519), and a JWK whose `alg` or `use` says
 * otherwise. The kid is the JWK's own, else its RFC 7638 thumbprint.
 */
export async function readClientKey(text: string): Promise<ReadClientKey> {
  const trimmed = text.trim();
  let given: JWK | undefined;
  let key: KeyObject;
  if (trimmed.startsWith('{')) {
    given = parseJwk(trimmed);
    key = publicKeyOfJwk(given);
  } else if (trimmed.startsWith('-----BEGIN')) {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(trimmed)) throw new ClientKeyProblem('This is a private key; give only the public key');
    if (!trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
      throw new ClientKeyProblem('Give the public key as PEM beginning with -----BEGIN PUBLIC KEY----- or as a JWK');
    }
    try {
      key = createPublicKey({ key: trimmed, format: 'pem', type: 'spki' });
    } catch {
      throw new ClientKeyProblem('Not a readable PEM public key');
    }
  } else {
    throw new ClientKeyProblem('Give the public key as PEM (-----BEGIN PUBLIC KEY-----) or as a JWK (JSON)');
  }
  const alg = algorithmOf(key);
  if (given?.alg !== undefined && given.alg !== alg) {
    throw new ClientKeyProblem(`The key says alg ${String(given.alg)}; a ${describe(key)} key signs with ${alg} here`);
  }
  if (given?.use !== undefined && given.use !== 'sig') throw new ClientKeyProblem('The key is marked for encryption (use "enc"), not for signing');
  const exported = key.export({ format: 'jwk' }) as JsonWebKey;
  const publicJwk: JWK = Object.fromEntries(
    Object.entries(exported).filter(([name]) => !PRIVATE_MEMBERS.includes(name)),
  ) as JWK;
  const kid = typeof given?.kid === 'string' && given.kid !== '' ? given.kid : await calculateJwkThumbprint(publicJwk, 'sha256');
  if (kid.length > 128) throw new ClientKeyProblem('The key id (kid) can be at most 128 characters');
  return { kid, alg, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

function parseJwk(text: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ClientKeyProblem('Not valid JSON');
  }
  if (isObject(value) && Array.isArray(value.keys)) {
    if (value.keys.length !== 1) throw new ClientKeyProblem('A JWK Set here must hold exactly one key; add its keys one at a time');
    value = value.keys[0];
  }
  if (!isObject(value) || typeof value.kty !== 'string') throw new ClientKeyProblem('Not a JWK: it has no kty');
  if (value.kty === 'oct') throw new ClientKeyProblem('A symmetric key (kty "oct") is a shared secret, not a public key');
  if (PRIVATE_MEMBERS.some((name) => name in value)) throw new ClientKeyProblem('This is a private key; give only the public key');
  if (value.kid !== undefined && typeof value.kid !== 'string') throw new ClientKeyProblem('The key id (kid) must be text');
  return value as JWK;
}

function publicKeyOfJwk(jwk: JWK): KeyObject {
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    throw new ClientKeyProblem('Not a readable public JWK');
  }
}

/** The one algorithm a key may sign with here; anything else is refused with what it is. */
function algorithmOf(key: KeyObject): ClientKeyAlg {
  if (key.type !== 'public') throw new ClientKeyProblem('This is a private key; give only the public key');
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      if (details.namedCurve !== 'prime256v1') throw new ClientKeyProblem(`Curve ${details.namedCurve ?? 'unknown'} is not supported; use P-256 (ES256)`);
      return 'ES256';
    case 'rsa':
      if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
        throw new ClientKeyProblem(`An RSA key of ${details.modulusLength ?? 0} bits is too weak; use at least ${MIN_RSA_BITS}`);
      }
      return 'RS256';
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new ClientKeyProblem(`A ${key.asymmetricKeyType ?? 'unknown'} key is not supported; use ${CLIENT_KEY_ALGS.join(', ')}`);
  }
}

const describe = (key: KeyObject) => (key.asymmetricKeyType ?? 'unknown').toUpperCase();
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rules an assertion's claims are held to, beyond the signature (RFC 7523 §3). */
export interface AssertionRules {
  clientId: string;
  /** The issuer identifier first, then the token endpoint URL (current practice accepts both). */
  audiences: string[];
  /** Seconds; `exp` more than this ahead of now is refused. */
  maxLifetimeSeconds: number;
  /** Seconds of clock difference forgiven on exp, nbf and iat. */
  skewSeconds: number;
  now: number;
}

/** What a verified assertion says that the caller still acts on. */
export interface VerifiedAssertion {
  jti: string;
  /** Epoch seconds. */
  exp: number;
}

/** A refused assertion, with the log's reason (assertion_*). */
export class AssertionRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Verifies a client assertion (RFC 7523 §3, RFC 7521 §4.2) with one stored public key: the signature with
 * exactly the key's algorithm (jose refuses `none` and anything else, so an HMAC made with the public key as
 * its secret fails: RFC 8725 §3.1), `iss` and `sub` the client id, `aud` one of ours, `exp` present and at
 * most maxLifetimeSeconds ahead, `nbf` and `iat` not in the future, `jti` present.
 */
export async function verifyClientAssertion(
  assertion: string,
  key: { alg: ClientKeyAlg; publicJwk: Record<string, unknown> },
  rules: AssertionRules,
): Promise<VerifiedAssertion> {
  let payload: JWTPayload;
  try {
    const publicKey = await importedKey(key.alg, key.publicJwk);
    ({ payload } = await jwtVerify(assertion, publicKey, {
      algorithms: [key.alg],
      issuer: rules.clientId,
      subject: rules.clientId,
      audience: rules.audiences,
      requiredClaims: ['exp', 'jti'],
      clockTolerance: rules.skewSeconds,
      currentDate: new Date(rules.now),
    }));
  } catch (error) {
    throw new AssertionRefused(reasonOf(error));
  }
  const nowSeconds = rules.now / 1000;
  if (typeof payload.exp !== 'number' || payload.exp > nowSeconds + rules.maxLifetimeSeconds + rules.skewSeconds) {
    throw new AssertionRefused('assertion_lifetime');
  }
  if (payload.iat !== undefined && payload.iat > nowSeconds + rules.skewSeconds) throw new AssertionRefused('assertion_not_yet_valid');
  if (typeof payload.jti !== 'string' || payload.jti === '' || payload.jti.length > 256) throw new AssertionRefused('assertion_claims');
  return { jti: payload.jti, exp: payload.exp };
}

/**
 * Imported keys by their key material: importing a JWK on every request was a measurable share of a
 * private_key_jwt request (bench:token). The material names the key exactly, so a cached import can never
 * stand for another key; bounded, since the store may hold many clients' keys.
 */
const imported = new Map<string, Promise<Awaited<ReturnType<typeof importJWK>>>>();
const IMPORTED_MAX = 1024;

function importedKey(alg: ClientKeyAlg, jwk: Record<string, unknown>) {
  const material = [alg, jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e].map((v) => (typeof v === 'string' ? v : '')).join('|');
  let key = imported.get(material);
  if (!key) {
    if (imported.size >= IMPORTED_MAX) imported.clear();
    key = importJWK(jwk as JWK, alg);
    // A failed import is not remembered: the next request tries again (and is refused the same way).
    key.catch(() => imported.delete(material));
    imported.set(material, key);
  }
  return key;
}

/** jose's error, as the log's reason. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'assertion_expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'assertion_issuer';
      case 'sub':
        return 'assertion_subject';
      case 'aud':
        return 'assertion_audience';
      case 'nbf':
      case 'iat':
        return error.reason === 'check_failed' ? 'assertion_not_yet_valid' : 'assertion_claims';
      default:
        return 'assertion_claims';
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'assertion_alg';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'assertion_signature';
  return 'assertion_malformed';
}

/** The protected header's kid and alg of a compact JWS, read without verifying anything (to pick the key). */
export function assertionHeader(assertion: string): { kid: string | undefined; alg: string | undefined } {
  try {
    const header = decodeProtectedHeader(assertion);
    return { kid: typeof header.kid === 'string' ? header.kid : undefined, alg: typeof header.alg === 'string' ? header.alg : undefined };
  } catch {
    throw new AssertionRefused('assertion_malformed');
  }
}
