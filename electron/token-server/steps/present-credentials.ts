import type { IncomingHttpHeaders } from 'node:http';
import { InvalidClientError, InvalidRequestError } from '../errors.js';
import { decodeComponent, type FormParams } from './parse-form.js';

/**
 * RFC 8414 names of the methods this server takes (RFC 6749 §2.3.1). Adding one (private_key_jwt, RFC 7523
 * §2.2): its credentials here, its proof in a module beside client-secret.ts, and the metadata lists it.
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

/** Client ids and secrets longer than this are not ours (ids are `keyrack-<slug>`, secrets 43 characters). */
const MAX_CREDENTIAL_LENGTH = 256;

/** Who a request says it is, and how it means to prove it; nothing here is checked against the store yet. */
export interface PresentedCredentials {
  clientId: string;
  secret: string;
  method: ClientAuthMethod;
}

/**
 * Who the request says it is, by exactly one method (RFC 6749 §2.3: "MUST NOT use more than one"):
 * HTTP Basic with id and secret each form-urlencoded before base64 (Appendix B, §2.3.1), or
 * `client_id` + `client_secret` in the body. A body `client_id` beside Basic is tolerated only when it names
 * the same client. A malformed or non-Basic Authorization header is a failed authentication (401).
 */
export function presentedCredentials(headers: IncomingHttpHeaders, params: FormParams): PresentedCredentials {
  const authorization = headers.authorization;
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
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

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Refuses invalid UTF-8 instead of replacing it; reusable, since each decode is given the whole input. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The client_secret_basic credentials of an Authorization header (RFC 7617 §2, RFC 6749 Appendix B). */
export function parseBasic(header: string): PresentedCredentials {
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
