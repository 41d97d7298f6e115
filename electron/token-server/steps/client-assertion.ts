import { secretState } from '../../../shared/liveness.js';
import { AssertionRefused, assertionHeader, verifyClientAssertion, type VerifiedAssertion } from '../../crypto/client-keys.js';
import { pruneAssertionJtis } from '../../repos/client-assertion-jtis.repo.js';
import { listClientKeysOfUser, type ClientKeyRecord } from '../../repos/client-keys.repo.js';
import type { RequestInfo, TokenServerContext } from '../context.js';
import { PATHS } from '../endpoints/discovery.js';
import { admitClient, assertNotThrottled, type AuthenticatedClient, type ClientProof } from './authenticate-client.js';
import type { AssertionCredentials } from './present-credentials.js';

/** RFC 7523 §3 item 4 lets the server bound an assertion's life; five minutes is what current practice allows. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Clock difference forgiven on exp, nbf and iat (RFC 7523 §3: "some small leeway"). */
export const ASSERTION_SKEW_SECONDS = 30;
/** Used jtis are pruned at most this often; expired rows are harmless in between (their assertions are too). */
const JTI_PRUNE_INTERVAL_MS = 60_000;

/**
 * private_key_jwt (RFC 7523 §2.2 and §3, RFC 7521 §4.2): the client proves it holds the private half of one
 * of its live public keys by a signed assertion. No argon2 here: a signature check per request and the jti's
 * row in the store. The client id's back-off applies as for secrets (authenticate-client.ts); the address's
 * was applied before the body was read (router.ts).
 */
export async function authenticateWithAssertion(
  ctx: TokenServerContext,
  creds: AssertionCredentials,
  request: RequestInfo,
): Promise<AuthenticatedClient> {
  const now = ctx.clock.now();
  const known = await assertNotThrottled(ctx, creds.clientId, request.ip, now);
  return admitClient(ctx, creds, request, assertionProof(ctx, creds, known, now), now);
}

/**
 * The proof: the key the header's kid names (or, without a kid, each of the client's keys of the header's
 * alg), live at `now`; the assertion verified with it (crypto/client-keys.ts); its jti claimed in the store.
 * Reasons, in the log only: unknown_key, key_revoked, key_expired, assertion_* (signature, alg, issuer,
 * subject, audience, expired, lifetime, not_yet_valid, claims, malformed), assertion_replayed.
 */
function assertionProof(ctx: TokenServerContext, creds: AssertionCredentials, known: boolean, now: number): ClientProof {
  return {
    attempted: !known,
    // Nothing costly to imitate: a refusal is padded to the failure floor anyway (deny.ts).
    withoutClient: () => Promise.resolve(),
    async prove(client, refuse) {
      let header;
      try {
        header = assertionHeader(creds.assertion);
      } catch (error) {
        throw refuse(error instanceof AssertionRefused ? error.reason : 'assertion_malformed');
      }
      const keys = (await listClientKeysOfUser(ctx.store, client.userId)).filter((k) =>
        header.kid !== undefined ? k.kid === header.kid : k.alg === header.alg,
      );
      const live = keys.filter((k) => secretState(k, now) === 'live');
      if (live.length === 0) {
        const ended = keys[0];
        if (!ended) throw refuse('unknown_key');
        throw refuse(`key_${secretState(ended, now)}`, { keyId: ended.id });
      }
      const { key, verified } = await verifiedByOne(ctx, creds, live, now, refuse);
      await pruneNowAndThen(ctx, now);
      // Held until the assertion could no longer pass even with the skew forgiven; the insert decides races.
      if (!(await ctx.jtis.claim(creds.clientId, verified.jti, (verified.exp + ASSERTION_SKEW_SECONDS) * 1000))) {
        throw refuse('assertion_replayed', { keyId: key.id });
      }
      return { keyId: key.id };
    },
  };
}

/**
 * The first live key the assertion verifies with. Of keys it does not, the refusal names the most telling
 * reason: a wrong claim under a right signature says more than a signature that is simply not this key's.
 */
async function verifiedByOne(
  ctx: TokenServerContext,
  creds: AssertionCredentials,
  keys: ClientKeyRecord[],
  now: number,
  refuse: Parameters<ClientProof['prove']>[1],
): Promise<{ key: ClientKeyRecord; verified: VerifiedAssertion }> {
  let refusal: { reason: string; key: ClientKeyRecord } | undefined;
  for (const key of keys) {
    try {
      const verified = await verifyClientAssertion(creds.assertion, key, {
        clientId: creds.clientId,
        audiences: audiencesOf(ctx),
        maxLifetimeSeconds: MAX_ASSERTION_LIFETIME_SECONDS,
        skewSeconds: ASSERTION_SKEW_SECONDS,
        now,
      });
      return { key, verified };
    } catch (error) {
      if (!(error instanceof AssertionRefused)) throw error;
      if (!refusal || refusal.reason === 'assertion_signature') refusal = { reason: error.reason, key };
    }
  }
  throw refuse(refusal!.reason, { keyId: refusal!.key.id });
}

/** RFC 7523 §3 item 3: the issuer identifier; the token endpoint's URL too, as many clients send that. */
function audiencesOf(ctx: TokenServerContext): string[] {
  return [ctx.config.issuer, new URL(PATHS.token, ctx.config.issuer).href];
}

const prunedAt = new WeakMap<TokenServerContext, number>();

async function pruneNowAndThen(ctx: TokenServerContext, now: number): Promise<void> {
  if ((prunedAt.get(ctx) ?? 0) + JTI_PRUNE_INTERVAL_MS > now) return;
  prunedAt.set(ctx, now);
  await pruneAssertionJtis(ctx.store, now);
}
