import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAIL_SEND_SCOPE } from '../../shared/domain.js';
import { accountState } from '../../shared/liveness.js';
import { findTokenClient } from '../repos/token-clients.repo.js';
import { isTokenRevoked } from '../repos/token-revocations.repo.js';
import type { RequestInfo, TokenServerContext } from '../token-server/context.js';
import { verifiedClaims } from '../token-server/endpoints/introspect.js';
import { OAuthError } from '../token-server/errors.js';
import { hasApiUser } from '../token-server/steps/authenticate-client.js';
import { checkStanding } from '../token-server/steps/check-standing.js';
import { authenticateWithSecret } from '../token-server/steps/client-secret.js';

/**
 * Who is sending: the relay's two ways in, both through the token server's own steps. A bearer access token
 * (SASL XOAUTH2 / OAUTHBEARER, POST /v1/mail) is verified exactly as introspection does (signature, issuer,
 * type, expiry: endpoints/introspect.ts verifiedClaims), then not revoked, its user still live and calling
 * from its allowlist, and the token carrying mail:send. A client id and secret (AUTH PLAIN) go through the
 * token endpoint's client authentication (steps/client-secret.ts: back-off, argon2 cap, verified-secret
 * cache, allowlist, disabled and expired users), and the user must hold mail:send now.
 */

export type MailAuthMethod = 'XOAUTH2' | 'OAUTHBEARER' | 'PLAIN' | 'bearer';

export interface MailSender {
  userId: number;
  userName: string;
  clientId: string;
  method: MailAuthMethod;
  /** A bearer login's token: its id and expiry, checked again at every message of the connection. */
  token?: { jti: string; exp: number } | undefined;
  /** An AUTH PLAIN login's secret: its last use is recorded as the token endpoint records it. */
  secretId?: number | undefined;
}

/** A refused login: `reason` for the log only; the sender is told only that it failed. */
export class MailAuthError extends Error {
  override name = 'MailAuthError';
  constructor(
    readonly reason: string,
    readonly subject: { clientId?: string | null; userId?: number | null; userName?: string | null } = {},
  ) {
    super('authentication failed');
  }
}

export async function senderFromToken(ctx: TokenServerContext, token: string, ip: string, method: MailAuthMethod): Promise<MailSender> {
  const claims = await verifiedClaims(ctx, token);
  if (!claims) throw new MailAuthError('token_invalid');
  const subject = { clientId: claims.client_id };
  if (await isTokenRevoked(ctx.store, claims.jti)) throw new MailAuthError('token_revoked', subject);
  const client = await findTokenClient(ctx.store, claims.client_id);
  if (!client || !hasApiUser(client)) throw new MailAuthError('user_deleted', subject);
  const who = { clientId: client.clientId, userId: client.userId, userName: client.userName };
  const now = ctx.clock.now();
  const standing = await checkStanding(ctx, client, ip, now);
  if (!standing.addressAllowed) throw new MailAuthError('address_not_allowed', who);
  if (standing.account !== 'live') throw new MailAuthError(`user_${standing.account}`, who);
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  if (!scopes.includes(MAIL_SEND_SCOPE)) throw new MailAuthError('mail_not_granted', who);
  return { userId: client.userId, userName: client.userName, clientId: client.clientId, method, token: { jti: claims.jti, exp: claims.exp } };
}

/**
 * Whether a login made earlier on a connection still stands for the next message: its user live (not disabled,
 * expired or deleted) and, for a bearer login, its token neither expired nor revoked since. A connection can
 * stay open for many messages; what ended meanwhile ends its sending. Returns the reason it ended, if it did.
 */
export async function loginEnded(ctx: TokenServerContext, sender: MailSender): Promise<string | undefined> {
  const now = ctx.clock.now();
  if (sender.token) {
    if (sender.token.exp * 1000 <= now) return 'token_expired';
    if (await isTokenRevoked(ctx.store, sender.token.jti)) return 'token_revoked';
  }
  const client = await findTokenClient(ctx.store, sender.clientId);
  if (!client || !hasApiUser(client)) return 'user_deleted';
  const account = accountState(client, now);
  return account === 'live' ? undefined : `user_${account}`;
}

/**
 * AUTH PLAIN: the token endpoint's client_secret_basic check. Its failures are counted in the same back-off
 * as the token endpoint's (a guess here is a guess there) and padded to the same failure floor.
 */
export async function senderFromSecret(ctx: TokenServerContext, clientId: string, secret: string, request: RequestInfo): Promise<MailSender> {
  let client;
  try {
    client = await authenticateWithSecret(ctx, { method: 'client_secret_basic', clientId, secret }, request);
  } catch (error) {
    const wait = request.startedAt + ctx.failureFloor.ms - performance.now();
    if (wait > 0) await sleep(wait);
    if (error instanceof OAuthError) {
      const detail = (error.detail ?? {}) as { clientId?: string; userId?: number; userName?: string };
      throw new MailAuthError(error.reason, { clientId, ...detail });
    }
    throw error;
  }
  const who = { clientId, userId: client.userId, userName: client.userName };
  // The account half of the standing was checked by admitClient; the right is read now, as the token endpoint does.
  if (!(await ctx.facts.get(client.userId, ctx.clock.now())).scopes.has(MAIL_SEND_SCOPE)) throw new MailAuthError('mail_not_granted', who);
  const secretId = 'secretId' in client.credential ? client.credential.secretId : undefined;
  return { userId: client.userId, userName: client.userName, clientId, method: 'PLAIN', secretId };
}
