import type { UserStatus } from '../../../shared/domain.js';
import { accountState, type AccountState } from '../../../shared/liveness.js';
import type { TokenServerContext } from '../context.js';

/** Whether a client's API user may act now, from this address: policy about the account, not proof of who calls. */
export interface Standing {
  /** The address is in the user's allowlist (an empty list allows any). */
  addressAllowed: boolean;
  /** active and not expired is 'live' (shared/liveness.ts, the rule people's sessions follow too). */
  account: AccountState;
}

/**
 * The standing check: user active, not expired, address allowed. It reads only the client's row and the
 * cached rights (grant-facts.ts), so the chain runs it before any argon2 work (authenticate-client.ts,
 * admitClient), and acts on each half at its own point.
 */
export async function checkStanding(
  ctx: TokenServerContext,
  user: { userId: number; status: UserStatus; expiresAt: number | null },
  ip: string,
  now: number,
): Promise<Standing> {
  return {
    addressAllowed: ctx.allowlist.isAllowed((await ctx.facts.get(user.userId, now)).allowlist, ip),
    account: accountState(user, now),
  };
}
