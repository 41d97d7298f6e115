import type { UserStatus } from '../../../shared/domain.js';
import type { CredentialRef } from '../../repos/token-events.repo.js';
import { findTokenClient, type TokenClient } from '../../repos/token-clients.repo.js';
import { InvalidClientError, RateLimitedError } from '../errors.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { checkStanding } from './check-standing.js';
import { parseBasic, type ClientAuthMethod, type PresentedCredentials, type SecretCredentials } from './present-credentials.js';

export interface AuthenticatedClient {
  clientId: string;
  userId: number;
  userName: string;
  /** The secret or the public key the client proved it holds (its last use is recorded with the event). */
  credential: CredentialRef;
  tokenLifetimeSeconds: number | null;
  method: ClientAuthMethod;
}

/** A client whose API user still exists: the store's join found the user, so its id, name and status are set. */
export type ClientOfUser = TokenClient & { userId: number; userName: string; status: UserStatus };
export const hasApiUser = (client: TokenClient): client is ClientOfUser => client.userId !== null;

/**
 * What one authentication method contributes to admitClient: the proof that the caller holds the client's
 * credential. client-secret.ts is the one for client_secret_basic and client_secret_post, client-assertion.ts
 * the one for private_key_jwt (RFC 7523 §2.2, against the client's public keys).
 */
export interface ClientProof {
  /** Work as costly as a proof, for a client id that names no API user: that failure must not answer sooner. */
  withoutClient(): Promise<void>;
  /**
   * Proves the caller holds the client's credential, or throws what `refuse` makes of the method's own reason
   * (and of the credential it concerns, once one is identified).
   */
  prove(client: ClientOfUser, refuse: (reason: string, credential?: CredentialRef) => InvalidClientError): Promise<CredentialRef>;
  /** Whether the request was an attempt under the client id's back-off: only then does its success clear it. */
  readonly attempted: boolean;
}

/**
 * Step 2, whatever the method: the client, its standing (check-standing.ts), the method's proof. Reasons, in
 * the log only: unknown_client, user_deleted, address_not_allowed, the method's own (wrong_secret,
 * secret_revoked, secret_expired; assertion_*, unknown_key, key_revoked, key_expired), user_disabled,
 * user_expired, pending_approval.
 *
 * The standing is read before the proof, and its address half refuses at once: from an address the user may
 * not use, a credential cannot even be tested (no guessing from outside), and such an address never becomes
 * one the client is known by. Its account half refuses only after the proof, so the log says user_disabled or
 * user_expired of the real client still calling, and a guess at a disabled user's secret is wrong_secret.
 */
export async function admitClient(
  ctx: TokenServerContext,
  creds: PresentedCredentials,
  request: RequestInfo,
  proof: ClientProof,
  now: number,
): Promise<AuthenticatedClient> {
  const { clientId } = creds;
  const client = await findTokenClient(ctx.store, clientId);
  if (!client || !hasApiUser(client)) {
    await proof.withoutClient();
    throw failed(ctx, creds, request, client ? 'user_deleted' : 'unknown_client');
  }
  const subject = { clientId, userId: client.userId, userName: client.userName };
  const standing = await checkStanding(ctx, client, request.ip, now);
  if (!standing.addressAllowed) throw failed(ctx, creds, request, 'address_not_allowed', subject);
  const credential = await proof.prove(client, (reason, used) => failed(ctx, creds, request, reason, { ...subject, ...used }));
  if (standing.account !== 'live') throw failed(ctx, creds, request, `user_${standing.account}`, { ...subject, ...credential });
  // Registered with an activation that needs approval (RFC 7591, services/activations.service.ts): the
  // client proved who it is, so this is no guess and counts against no back-off; the reason is in the log only.
  if (client.pending) throw new InvalidClientError('pending_approval', { ...subject, ...credential, method: creds.method });
  // A success clears the client id's back-off only when it passed that back-off: the real client calling
  // from its own address (exempt) or with a cached secret says nothing about guesses from elsewhere, and
  // clearing it then handed a flood new free failures at every legitimate request (issue 17, item 2).
  if (proof.attempted) ctx.clientFailures.succeed(clientId);
  ctx.knownAddresses.add(clientId, request.ip, now);
  return {
    clientId,
    userId: client.userId,
    userName: client.userName,
    credential,
    tokenLifetimeSeconds: client.tokenLifetimeSeconds,
    method: creds.method,
  };
}

/**
 * The back-off refusal of a request decided from its headers alone, before its body is read or parsed
 * (router.ts, for every credentialed endpoint): the address is in back-off, or the client id of its Basic
 * header is and the address is not one the client is known to use. A request the verified-secret cache
 * answers is never refused (the same rule as authenticateWithSecret's); its digest is computed only when a
 * back-off applies. Anything else, a malformed header included, is for the full steps to judge.
 */
export async function earlyRefusal(
  ctx: TokenServerContext,
  authorization: string | undefined,
  ip: string,
): Promise<{ error: RateLimitedError; creds: SecretCredentials | undefined } | undefined> {
  const now = ctx.clock.now();
  const byAddress = ctx.addressFailures.waitFor(ip, now);
  // The common case costs two lookups: no client id is in back-off, so the header is not even decoded.
  if (byAddress === 0 && (authorization === undefined || ctx.clientFailures.idle)) return undefined;
  let creds: SecretCredentials | undefined;
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
    if (byClient === 0 || (await ctx.knownAddresses.has(creds.clientId, ip, now))) return undefined;
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
export async function assertNotThrottled(ctx: TokenServerContext, clientId: string, ip: string, now: number): Promise<boolean> {
  const byAddress = ctx.addressFailures.waitFor(ip, now);
  if (byAddress > 0) throw new RateLimitedError(byAddress / 1000, 'rate_limited_address');
  if (await ctx.knownAddresses.has(clientId, ip, now)) return true;
  const byClient = ctx.clientFailures.waitFor(clientId, now);
  if (byClient > 0) throw new RateLimitedError(byClient / 1000, 'rate_limited_client');
  return false;
}

/** A failed authentication: counted against the address and the client id, and answered invalid_client. */
export function failed(
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
