import type { IncomingHttpHeaders } from 'node:http';
import { InvalidClientError, InvalidRequestError } from '../errors.js';
import { decodeComponent, type FormParams } from './parse-form.js';

/**
 * RFC 8414 names of the methods this server takes (RFC 6749 §2.3.1, RFC 7523 §2.2). Adding one: its
 * credentials here, its proof in a module beside client-secret.ts and client-assertion.ts, its branch in
 * client-auth-chain.ts, and the metadata lists it (discovery.ts).
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

/** RFC 7523 §2.2: the only client_assertion_type this server takes, compared exactly. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Client ids and secrets longer than this are not ours (ids are `keyrack-<slug>`, secrets 43 characters). */
const MAX_CREDENTIAL_LENGTH = 256;
/** A signed assertion is a few hundred bytes (an RS256 one with a 4096-bit key under 1 KB); more is not one. */
const MAX_ASSERTION_LENGTH = 8192;

/** Who a request says it is, and how it means to prove it; nothing here is checked against the store yet. */
export type PresentedCredentials = SecretCredentials | AssertionCredentials;

export interface SecretCredentials {
  clientId: string;
  secret: string;
  method: 'client_secret_basic' | 'client_secret_post';
}

export interface AssertionCredentials {
  /** The assertion's `sub` (or the body's client_id), not yet verified: client-assertion.ts checks it. */
  clientId: string;
  /** The compact JWS as sent. */
  assertion: string;
  method: 'private_key_jwt';
}

/**
 * Who the request says it is, by exactly one method (RFC 6749 §2.3: "MUST NOT use more than one"):
 * HTTP Basic with id and secret each form-urlencoded before base64 (Appendix B, §2.3.1),
 * `client_id` + `client_secret` in the body, or a client assertion (RFC 7521 §4.2, RFC 7523 §2.2). A body
 * `client_id` beside Basic or an assertion is tolerated only when it names the same client. A malformed or
 * non-Basic Authorization header is a failed authentication (401).
 */
export function presentedCredentials(headers: IncomingHttpHeaders, params: FormParams): PresentedCredentials {
  const authorization = headers.authorization;
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const assertionType = params.get('client_assertion_type');
  const assertion = params.get('client_assertion');
  if (assertionType !== undefined || assertion !== undefined) {
    if (authorization !== undefined || bodySecret !== undefined) {
      throw new InvalidRequestError('Use one client authentication method, not both', 'two_auth_methods');
    }
    return presentedAssertion(assertionType, assertion, bodyId);
  }
  if (authorization !== undefined) {
    if (bodySecret !== undefined) {
      throw new InvalidRequestError('Use one client authentication method, not both', 'two_auth_methods');
    }
    const basic = parseBasic(authorization);
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new InvalidRequestError('client_id differs from the client in the Authorization header', 'client_id_mismatch');
    }
    return basic;
  }
  if (bodyId === undefined || bodySecret === undefined) throw new InvalidClientError('no_credentials');
  if (bodyId.length > MAX_CREDENTIAL_LENGTH || bodySecret.length > MAX_CREDENTIAL_LENGTH) {
    throw new InvalidClientError('unknown_client', { clientId: bodyId.slice(0, 64) });
  }
  return { clientId: bodyId, secret: bodySecret, method: 'client_secret_post' };
}

/**
 * RFC 7521 §4.2: client_assertion_type exactly the JWT bearer type, client_assertion a JWT. The client is
 * the body's client_id when sent (§4.2: "MAY"), else the one the assertion's `sub` names (RFC 7523 §3
 * item 2); its signature and every claim, iss and sub against that client id included, are checked in
 * client-assertion.ts against that client's keys. Failures here are invalid_client like any other.
 */
function presentedAssertion(type: string | undefined, assertion: string | undefined, bodyId: string | undefined): AssertionCredentials {
  // What the log names when the assertion is refused before any client is looked up.
  const said = { ...(bodyId === undefined ? {} : { clientId: bodyId.slice(0, 64) }), method: 'private_key_jwt' };
  if (type !== JWT_BEARER_ASSERTION_TYPE) throw new InvalidClientError(type === undefined ? 'assertion_missing' : 'assertion_type', said);
  if (assertion === undefined || assertion === '') throw new InvalidClientError('assertion_missing', said);
  const sub = assertion.length <= MAX_ASSERTION_LENGTH ? unverifiedSubject(assertion) : undefined;
  if (sub === undefined) throw new InvalidClientError('assertion_malformed', said);
  if (bodyId !== undefined && bodyId.length > MAX_CREDENTIAL_LENGTH) throw new InvalidClientError('unknown_client', said);
  return { clientId: bodyId ?? sub, assertion, method: 'private_key_jwt' };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The `sub` of a compact JWS's payload, read without verifying anything; undefined if it has none. */
function unverifiedSubject(assertion: string): string | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3 || !BASE64URL.test(parts[1]!)) return undefined;
  try {
    const payload: unknown = JSON.parse(STRICT_UTF8.decode(Buffer.from(parts[1]!, 'base64url')));
    const sub = typeof payload === 'object' && payload !== null ? (payload as { sub?: unknown }).sub : undefined;
    return typeof sub === 'string' && sub !== '' && sub.length <= MAX_CREDENTIAL_LENGTH ? sub : undefined;
  } catch {
    return undefined;
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Refuses invalid UTF-8 instead of replacing it; reusable, since each decode is given the whole input. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The client_secret_basic credentials of an Authorization header (RFC 7617 §2, RFC 6749 Appendix B). */
export function parseBasic(header: string): SecretCredentials {
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'basic') throw new InvalidClientError('not_basic_auth');
  const encoded = header.slice(space + 1).trim();
  if (encoded.length > 1024 || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new InvalidClientError('malformed_basic_auth');
  }
  let decoded: string;
  try {
    decoded = STRICT_UTF8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new InvalidClientError('malformed_basic_auth');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClientError('malformed_basic_auth');
  let clientId: string;
  let secret: string;
  try {
    clientId = decodeComponent(decoded.slice(0, colon));
    secret = decodeComponent(decoded.slice(colon + 1));
  } catch {
    throw new InvalidClientError('malformed_basic_auth');
  }
  if (clientId === '' || secret === '') throw new InvalidClientError('no_credentials');
  if (clientId.length > MAX_CREDENTIAL_LENGTH || secret.length > MAX_CREDENTIAL_LENGTH) {
    throw new InvalidClientError('unknown_client', { clientId: clientId.slice(0, 64) });
  }
  return { clientId, secret, method: 'client_secret_basic' };
}
