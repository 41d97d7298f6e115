import type { ParsedInputOf } from '../../shared/contract.js';
import type { OfficePolicy } from '../../shared/dto.js';
import { ValidationError } from '../../shared/errors.js';
import type { Queryable } from '../db/store.js';
import { readSetting, writeSetting } from '../repos/settings.repo.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** The settings key of the office policy (settings table, one JSON value). */
export const POLICY_KEY = 'policy';

export const ALLOWLIST_REQUIRED_MESSAGE =
  'This office requires an allowlist for every API user: add at least one address, range or provider';

export async function readOfficePolicy(q: Queryable): Promise<OfficePolicy> {
  const stored = await readSetting<Partial<OfficePolicy>>(q, POLICY_KEY);
  return { requireAllowlist: stored?.requireAllowlist === true };
}


/**
 * Refuses an empty allowlist when the policy requires one. Called by the users service on create and on
 * every allowlist change, so the app, the CLI and the HTTP bridge all obey it.
 */
export async function assertAllowlistAllowed(q: Queryable, entries: readonly unknown[], field: string): Promise<void> {
  if (entries.length === 0 && (await readOfficePolicy(q)).requireAllowlist) {
    throw new ValidationError({ [field]: ALLOWLIST_REQUIRED_MESSAGE });
  }
}

/**
 * Office-wide rules. Reading needs a session; changing them needs `users.manage` (they govern API users),
 * and each change is logged with its value before and after. Turning a rule on does not touch existing
 * API users: it applies from their next create or allowlist change (the Users page lists who has none).
 */
export class PolicyService {
  constructor(private readonly deps: ServiceDeps) {}

  async get(actor: Actor): Promise<OfficePolicy> {
    await authorize(this.deps, actor, null, 'settings.changed');
    return readOfficePolicy(this.deps.store);
  }

  async set(actor: Actor, patch: ParsedInputOf<'policy.set'>): Promise<OfficePolicy> {
    await authorize(this.deps, actor, 'users.manage', 'settings.changed');
    return this.deps.store.transaction(async (tx) => {
      const before = await readOfficePolicy(tx);
      const after: OfficePolicy = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      for (const key of Object.keys(after) as (keyof OfficePolicy)[]) {
        if (after[key] === before[key]) continue;
        await recordEvent(tx, this.deps, actor, {
          type: 'settings.changed',
          details: { setting: `${POLICY_KEY}.${key}`, from: before[key], to: after[key] },
        });
      }
      await writeSetting(tx, POLICY_KEY, after);
      return after;
    });
  }
}
