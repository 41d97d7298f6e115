import { performance } from 'node:perf_hooks';
import { secretState } from '../../../shared/liveness.js';
import { findSecretState, secretsToCheck, type SecretToCheck } from '../../repos/token-clients.repo.js';
import { RateLimitedError } from '../errors.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { BusyError } from '../work-limit.js';
import { admitClient, assertNotThrottled, type AuthenticatedClient, type ClientProof } from './authenticate-client.js';
import type { SecretCredentials } from './present-credentials.js';

/** Ended secrets also compared, so a client still using one gets `secret_revoked`/`secret_expired` in the log. */
const ENDED_SECRETS_CHECKED = 3;

/**
 * client_secret_basic and client_secret_post (RFC 6749 §2.3.1): is the secret right?
 *
 * The secret is checked against its argon2id hash once; after that a keyed digest answers for a few
 * minutes (secret-cache.ts). The user's status and the secret's state are re-read from the store on every
 * request either way. Unknown client ids cost one dummy verification. Argon2 work waits for one of the
 * WorkLimiter's slots, and is refused (429) while the address, or the client id from an address the client
 * has not used before, is in back-off after repeated failures.
 */
export async function authenticateWithSecret(
  ctx: TokenServerContext,
  creds: SecretCredentials,
  request: RequestInfo,
): Promise<AuthenticatedClient> {
  const now = ctx.clock.now();
  const { clientId, secret } = creds;
  const digest = ctx.secrets.digest(clientId, secret);
  const secretId = ctx.secrets.lookup(clientId, digest, now);
  // Only a request the cache does not answer asks whether its address is the client's own (possibly a read
  // of the store): that decides its back-off exemption and its place in the argon2 queue.
  if (secretId !== undefined) {
    return admitClient(ctx, creds, request, secretProof(ctx, creds, digest, secretId, false, now), now);
  }
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
    if (verified !== undefined) {
      return admitClient(ctx, creds, request, secretProof(ctx, creds, digest, verified, false, later), later);
    }
    return authenticateWithSecret(ctx, creds, request);
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
  creds: SecretCredentials,
  request: RequestInfo,
  digest: Buffer,
  now: number,
): Promise<AuthenticatedClient> {
  const { clientId } = creds;
  const known = await assertNotThrottled(ctx, clientId, request.ip, now);
  // A full verifier queue refuses before any read of the store (issue 17, item 2: a refusal nearly free).
  if (!ctx.argon2.hasRoom(known)) throw busy();
  const proof = secretProof(ctx, creds, digest, undefined, known, now);
  // From an address the client never used, the address and the client id each have a bounded number of
  // attempts in flight (BackoffLimiter.begin). From a known address nothing is bounded: a pool restarted
  // behind one address sends all its first requests at once, and they wait in the argon2 queue's urgent lane.
  if (known) return admitClient(ctx, creds, request, proof, now);
  ctx.addressFailures.begin(request.ip);
  ctx.clientFailures.begin(clientId);
  try {
    return await admitClient(ctx, creds, request, proof, now);
  } finally {
    ctx.addressFailures.end(request.ip);
    ctx.clientFailures.end(clientId);
  }
}

/**
 * The proof by secret: a verification the cache remembers needs only the secret's state re-read (an ended
 * one is dropped from the cache at once); otherwise the secret is compared with the user's live secrets and
 * a few ended ones, in the argon2 queue (`known` addresses in its urgent lane), and a match is remembered.
 */
function secretProof(
  ctx: TokenServerContext,
  creds: SecretCredentials,
  digest: Buffer,
  cachedSecretId: number | undefined,
  known: boolean,
  now: number,
): ClientProof {
  const { clientId, secret } = creds;
  return {
    attempted: cachedSecretId === undefined && !known,
    withoutClient: () => verifying(ctx, known, () => timed(ctx, ctx.passwords.dummyVerify(secret))),
    async prove(client, refuse) {
      if (cachedSecretId !== undefined) {
        const state = await findSecretState(ctx.store, cachedSecretId);
        const ended = state ? endedReason(state, now) : 'secret_revoked';
        if (ended) {
          ctx.secrets.dropClient(clientId);
          throw refuse(ended, { secretId: cachedSecretId });
        }
        return { secretId: cachedSecretId };
      }
      const candidates = await secretsToCheck(ctx.store, client.userId, now, ENDED_SECRETS_CHECKED);
      const match = await verifying(ctx, known, async () => {
        for (const candidate of candidates) {
          if (await timed(ctx, ctx.passwords.verify(candidate.secretHash, secret))) return candidate;
        }
        if (candidates.length === 0) await timed(ctx, ctx.passwords.dummyVerify(secret));
        return undefined;
      });
      if (!match) throw refuse('wrong_secret');
      const ended = endedReason(match, now);
      if (ended) throw refuse(ended, { secretId: match.id });
      ctx.secrets.remember(clientId, client.userId, match.id, digest, now);
      return { secretId: match.id };
    },
  };
}

/** `secret_revoked` or `secret_expired` (shared/liveness.ts decides which), or undefined for a live secret. */
function endedReason(secret: Pick<SecretToCheck, 'revokedAt' | 'expiresAt'>, now: number): string | undefined {
  const state = secretState(secret, now);
  return state === 'live' ? undefined : `secret_${state}`;
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
