import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';

/**
 * The only importer of jose in electron/ (STYLE 8). Everything about JSON Web Tokens lives here:
 * key generation, the public JWK, signing RFC 9068 access tokens, and verifying them for introspection.
 *
 * Signing uses node:crypto's `sign` directly on a precomputed header: the token is byte-for-byte what
 * jose's SignJWT would produce (compact JWS, base64url without padding, ES256 signatures in the IEEE P1363
 * r||s form of RFC 7518 §3.4), at about three times jose's speed, because nothing but the payload changes
 * from one token to the next. The signature is computed on libuv's thread pool (crypto.sign with a
 * callback), so the event loop parses and checks the next requests meanwhile: with a second core, signing
 * takes none of the event loop's time. (On one core it costs the same CPU either way: measured pinned,
 * 548 µs a request signed inline vs 544 through the pool.) Verification goes through jose, whose algorithm
 * allowlist refuses `none` and any algorithm the key was not made for (RFC 8725 §3.1).
 */

export const SIGNING_ALGS = ['ES256', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** RFC 9068 §2.1: the media type of a JWT access token, in its short form. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface GeneratedKey {
  kid: string;
  alg: SigningAlg;
  /** PKCS#8 DER of the private key: wrap it before it touches the disk. */
  privateDer: Buffer;
  publicJwk: PublicJwk;
}

/** A public key as published in the JWKS (RFC 7517 §4, RFC 7518 §6). */
export interface PublicJwk {
  kty: string;
  kid: string;
  alg: SigningAlg;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

export function generateSigningKey(alg: SigningAlg): GeneratedKey {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  // A random kid: it names the key and nothing else (no timestamp or host to leak).
  const kid = randomBytes(12).toString('base64url');
  const jwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const publicJwk: PublicJwk =
    alg === 'ES256'
      ? { kty: 'EC', kid, alg, use: 'sig', crv: jwk.crv!, x: jwk.x!, y: jwk.y! }
      : { kty: 'RSA', kid, alg, use: 'sig', n: jwk.n!, e: jwk.e! };
  return { kid, alg, publicJwk, privateDer: pair.privateKey.export({ format: 'der', type: 'pkcs8' }) };
}

/** Signs access tokens with one key. Build once per key; `sign` is the hot path of the token endpoint. */
export interface TokenSigner {
  readonly kid: string;
  readonly alg: SigningAlg;
  sign(claims: Record<string, unknown>): Promise<string>;
}

export function createTokenSigner(kid: string, alg: SigningAlg, privateDer: Buffer): TokenSigner {
  const key: KeyObject = createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' });
  assertKeyFits(key, alg);
  // RFC 9068 §2.1: typ "at+jwt"; RFC 7515 §4.1.4: kid, so verifiers pick the key from the JWKS.
  const header = b64json({ alg, kid, typ: ACCESS_TOKEN_TYP });
  const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  return {
    kid,
    alg,
    sign(claims) {
      const input = `${header}.${b64json(claims)}`;
      return new Promise((resolve, reject) => {
        sign('sha256', Buffer.from(input), options, (error, signature) => {
          if (error) reject(error);
          else resolve(`${input}.${signature.toString('base64url')}`);
        });
      });
    },
  };
}

function assertKeyFits(key: KeyObject, alg: SigningAlg): void {
  const type = key.asymmetricKeyType;
  const ok = alg === 'ES256' ? type === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' : type === 'rsa';
  if (!ok) throw new Error(`signing key is ${type ?? 'unknown'}, not a key for ${alg}`);
}

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Checks that a public JWK matches the private key it was stored with (a swapped row fails at start-up). */
export function publicJwkMatches(privateDer: Buffer, jwk: PublicJwk): boolean {
  const fromPrivate = createPublicKey(createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' })).export({
    format: 'jwk',
  }) as Record<string, string>;
  return jwk.kty === 'EC' ? fromPrivate.x === jwk.x && fromPrivate.y === jwk.y : fromPrivate.n === jwk.n;
}

export interface VerifyExpectations {
  issuer: string;
  /** Seconds of clock difference tolerated on exp/iat. */
  clockToleranceSeconds?: number;
  currentDate?: Date;
}

/**
 * Verifies an access token this server issued: signature by one of `keys`, `typ: at+jwt`, our issuer,
 * not expired. Returns the payload, or null for anything else (forged, foreign, expired, malformed):
 * introspection answers all of those the same way, `{"active": false}`.
 */
export async function verifyAccessToken(
  token: string,
  keys: readonly PublicJwk[],
  expect: VerifyExpectations,
): Promise<JWTPayload | null> {
  if (token.length > 16_384 || keys.length === 0) return null;
  const jwks = createLocalJWKSet({ keys: keys as unknown as JWK[] } satisfies JSONWebKeySet);
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: expect.issuer,
      typ: ACCESS_TOKEN_TYP,
      algorithms: [...SIGNING_ALGS],
      clockTolerance: expect.clockToleranceSeconds ?? 0,
      requiredClaims: ['exp', 'iat', 'jti', 'client_id', 'sub'],
      ...(expect.currentDate ? { currentDate: expect.currentDate } : {}),
    });
    return payload;
  } catch {
    return null;
  }
}
