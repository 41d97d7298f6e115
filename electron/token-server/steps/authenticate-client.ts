import { performance } from 'node:perf_hooks';
import type { IncomingHttpHeaders } from 'node:http';
import { findSecretState, findTokenClient, secretsToCheck, type SecretToCheck } from '../../repos/token-clients.repo.js';
import { InvalidClientError, InvalidRequestError, RateLimitedError } from '../errors.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { BusyError } from '../work-limit.js';
import { decodeComponent, type FormParams } from './parse-form.js';

/** RFC 8414 names of the two methods this server takes (RFC 6749 §2.3.1). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

/** Ended secrets also compared, so a client still using one gets `secret_revoked`/`secret_expired` in the log. */
const ENDED_SECRETS_CHECKED = 3;
/** Client ids and secrets longer than this are not ours (ids are `keyrack-<slug>`, secrets 43 characters). */
const MAX_CREDENTIAL_LENGTH = 256;

export interface PresentedCredentials {
  clientId: string;
  secret: string;
  method: ClientAuthMethod;
}

export interface AuthenticatedClient {
  clientId: string;
  userId: number;
  userName: string;
  secretId: number;
  tokenLifetimeSeconds: number | null;
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

function parseBasic(header: string): PresentedCredentials {
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

/**
 * Step 2: is the secret right, and may this client authenticate now, from here? Reasons, in the log only:
 * unknown_client, user_deleted, address_not_allowed, wrong_secret, secret_revoked, secret_expired,
 * user_disabled, user_expired.
 *
 * The secret is checked against its argon2id hash once; after that a keyed digest answers for a few
 * minutes (secret-cache.ts). The user's status and the secret's state are re-read from the store on every
 * request either way. Unknown client ids cost one dummy verification. Argon2 work waits for one of the
 * WorkLimiter's slots, and is refused (429) while the address, or the client id from an address the client
 * has not used before, is in back-off after repeated failures.
 */
export async function authenticateClient(
  ctx: TokenServerContext,
  creds: PresentedCredentials,
  request: RequestInfo,
): Promise<AuthenticatedClient> {
  const now = ctx.clock.now();
  const { clientId, secret } = creds;
  const digest = ctx.secrets.digest(clientId, secret);
  const secretId = ctx.secrets.lookup(clientId, digest, now);
  // Only a request the cache does not answer asks whether its address is the client's own (possibly a read
  // of the store): that decides its back-off exemption and its place in the argon2 queue.
  if (secretId !== undefined) return authenticateChecked(ctx, creds, request, digest, secretId, false, now);
  // The same credentials already being checked from the same address (a new integration's pool sending its
  // first requests at once): wait for that one check, then answer from the cache. Without this each request
  // was an attempt of its own, and from a new address all but a few were refused 429. A wrong secret gains
  // nothing: after the failed check, each waiting request goes on as an attempt of its own, under the same
  // bounds; and requests from other addresses never wait on this one.
  const key = `${digest.toString('base64')} ${request.ip}`;
  const pending = ctx.verifying.get(key);
  if (pending) {
    await pending;
    const later = ctx.clock.now();
    const verified = ctx.secrets.lookup(clientId, digest, later);
    if (verified !== undefined) return authenticateChecked(ctx, creds, request, digest, verified, false, later);
    return authenticateClient(ctx, creds, request);
  }
  let finished!: () => void;
  ctx.verifying.set(key, new Promise((resolve) => (finished = resolve)));
  try {
    return await authenticateUncached(ctx, creds, request, digest, now);
  } finally {
    ctx.verifying.delete(key);
    finished();
  }
}

/** A request the cache does not answer: its bounds (back-off, the argon2 queue, attempts in flight), then the check. */
async function authenticateUncached(
  ctx: TokenServerContext,
  creds: PresentedCredentials,
  request: RequestInfo,
  digest: Buffer,
  now: number,
): Promise<AuthenticatedClient> {
  const { clientId } = creds;
  const known = assertNotThrottled(ctx, clientId, request.ip, now);
  // A full verifier queue refuses before any read of the store (issue 17, item 2: a refusal nearly free).
  if (!ctx.argon2.hasRoom(known)) throw busy();
  // From an address the client never used, the address and the client id each have a bounded number of
  // attempts in flight (BackoffLimiter.begin). From a known address nothing is bounded: a pool restarted
  // behind one address sends all its first requests at once, and they wait in the argon2 queue's urgent lane.
  if (known) return authenticateChecked(ctx, creds, request, digest, undefined, known, now);
  ctx.addressFailures.begin(request.ip);
  ctx.clientFailures.begin(clientId);
  try {
    return await authenticateChecked(ctx, creds, request, digest, undefined, known, now);
  } finally {
    ctx.addressFailures.end(request.ip);
    ctx.clientFailures.end(clientId);
  }
}

/** The rest of authenticateClient, once the request may try: the client, the allowlist, the secret, the user. */
async function authenticateChecked(
  ctx: TokenServerContext,
  creds: PresentedCredentials,
  request: RequestInfo,
  digest: Buffer,
  cachedSecretId: number | undefined,
  known: boolean,
  now: number,
): Promise<AuthenticatedClient> {
  const { clientId, secret } = creds;
  let secretId = cachedSecretId;

  const client = findTokenClient(ctx.db, clientId);
  if (!client || client.userId === null) {
    await verifying(ctx, known, () => timed(ctx, ctx.passwords.dummyVerify(secret)));
    throw failed(ctx, creds, request, client ? 'user_deleted' : 'unknown_client');
  }
  const subject = { clientId, userId: client.userId, userName: client.userName };
  // The allowlist before any argon2 work: from an address the user may not use, a secret cannot even be
  // tested (no guessing from outside), and such an address never becomes one the client is known by.
  if (!ctx.allowlist.isAllowed(ctx.facts.get(client.userId, now).allowlist, request.ip)) {
    throw failed(ctx, creds, request, 'address_not_allowed', subject);
  }

  if (secretId !== undefined) {
    const state = findSecretState(ctx.db, secretId);
    const ended = state ? endedReason(state, now) : 'secret_revoked';
    if (ended) {
      ctx.secrets.dropClient(clientId);
      throw failed(ctx, creds, request, ended, { ...subject, secretId });
    }
  } else {
    const candidates = secretsToCheck(ctx.db, client.userId, now, ENDED_SECRETS_CHECKED);
    const match = await verifying(ctx, known, async () => {
      for (const candidate of candidates) {
        if (await timed(ctx, ctx.passwords.verify(candidate.secretHash, secret))) return candidate;
      }
      if (candidates.length === 0) await timed(ctx, ctx.passwords.dummyVerify(secret));
      return undefined;
    });
    if (!match) throw failed(ctx, creds, request, 'wrong_secret', subject);
    const ended = endedReason(match, now);
    if (ended) throw failed(ctx, creds, request, ended, { ...subject, secretId: match.id });
    secretId = match.id;
    ctx.secrets.remember(clientId, client.userId, secretId, digest, now);
  }

  if (client.status !== 'active') throw failed(ctx, creds, request, 'user_disabled', { ...subject, secretId });
  if (client.expiresAt !== null && client.expiresAt <= now) {
    throw failed(ctx, creds, request, 'user_expired', { ...subject, secretId });
  }
  // A success clears the client id's back-off only when it passed that back-off: the real client calling
  // from its own address (exempt) or with a cached secret says nothing about guesses from elsewhere, and
  // clearing it then handed a flood new free failures at every legitimate request (issue 17, item 2).
  if (cachedSecretId === undefined && !known) ctx.clientFailures.succeed(clientId);
  ctx.knownAddresses.add(clientId, request.ip, now);
  return {
    clientId,
    userId: client.userId,
    userName: client.userName!,
    secretId,
    tokenLifetimeSeconds: client.tokenLifetimeSeconds,
    method: creds.method,
  };
}

function endedReason(s: Pick<SecretToCheck, 'revokedAt' | 'expiresAt'>, now: number): string | undefined {
  if (s.revokedAt !== null) return 'secret_revoked';
  if (s.expiresAt !== null && s.expiresAt <= now) return 'secret_expired';
  return undefined;
}

/**
 * The back-off refusal of a request decided from its headers alone, before its body is read or parsed
 * (router.ts, for every credentialed endpoint): the address is in back-off, or the client id of its Basic
 * header is and the address is not one the client is known to use. A request the verified-secret cache
 * answers is never refused (the same rule as authenticateClient's); its digest is computed only when a
 * back-off applies. Anything else, a malformed header included, is for the full steps to judge.
 */
export function earlyRefusal(
  ctx: TokenServerContext,
  authorization: string | undefined,
  ip: string,
): { error: RateLimitedError; creds: PresentedCredentials | undefined } | undefined {
  const now = ctx.clock.now();
  const byAddress = ctx.addressFailures.waitFor(ip, now);
  // The common case costs two lookups: no client id is in back-off, so the header is not even decoded.
  if (byAddress === 0 && (authorization === undefined || ctx.clientFailures.idle)) return undefined;
  let creds: PresentedCredentials | undefined;
  if (authorization !== undefined) {
    try {
      creds = parseBasic(authorization);
    } catch {
      creds = undefined;
    }
  }
  let error: RateLimitedError;
  if (byAddress > 0) {
    error = new RateLimitedError(byAddress / 1000, 'rate_limited_address');
  } else {
    if (!creds) return undefined;
    const byClient = ctx.clientFailures.waitFor(creds.clientId, now);
    if (byClient === 0 || ctx.knownAddresses.has(creds.clientId, ip, now)) return undefined;
    error = new RateLimitedError(byClient / 1000, 'rate_limited_client');
  }
  if (creds && ctx.secrets.lookup(creds.clientId, ctx.secrets.digest(creds.clientId, creds.secret), now) !== undefined) {
    return undefined;
  }
  return { error, creds };
}

/**
 * Address back-off always applies; client-id back-off not from an address the client is known to use.
 * Returns whether the address is known (the address check first: it needs no read of the store).
 */
function assertNotThrottled(ctx: TokenServerContext, clientId: string, ip: string, now: number): boolean {
  const byAddress = ctx.addressFailures.waitFor(ip, now);
  if (byAddress > 0) throw new RateLimitedError(byAddress / 1000, 'rate_limited_address');
  if (ctx.knownAddresses.has(clientId, ip, now)) return true;
  const byClient = ctx.clientFailures.waitFor(clientId, now);
  if (byClient > 0) throw new RateLimitedError(byClient / 1000, 'rate_limited_client');
  return false;
}

async function verifying<T>(ctx: TokenServerContext, urgent: boolean, work: () => Promise<T>): Promise<T> {
  try {
    return await ctx.argon2.run(work, urgent);
  } catch (error) {
    if (error instanceof BusyError) throw busy();
    throw error;
  }
}

const busy = () =>
  new RateLimitedError(1, 'verifier_busy', 'The server is busy checking client secrets; retry after the number of seconds in Retry-After');

/** One argon2id verification, timed for the failure floor. */
async function timed<T>(ctx: TokenServerContext, verification: Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await verification;
  ctx.failureFloor.observe(performance.now() - started);
  return result;
}

function failed(
  ctx: TokenServerContext,
  creds: PresentedCredentials,
  request: RequestInfo,
  reason: string,
  subject: Record<string, unknown> = { clientId: creds.clientId },
): InvalidClientError {
  const now = ctx.clock.now();
  ctx.addressFailures.fail(request.ip, now);
  ctx.clientFailures.fail(creds.clientId, now);
  return new InvalidClientError(reason, { ...subject, method: creds.method });
}
