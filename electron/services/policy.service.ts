import type { OfficePolicy } from '../../shared/dto.js';
import { officePolicyInput } from '../../shared/schemas.js';
import { ValidationError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import { readSetting, writeSetting } from '../repos/settings.repo.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** The settings key of the office policy (settings table, one JSON value). */
export const POLICY_KEY = 'policy';

export const ALLOWLIST_REQUIRED_MESSAGE =
  'This office requires an allowlist for every API user: add at least one address, range or provider';

export function readOfficePolicy(deps: Pick<ServiceDeps, 'db'>): OfficePolicy {
  const stored = readSetting<Partial<OfficePolicy>>(deps.db, POLICY_KEY) ?? {};
  return { requireAllowlist: stored.requireAllowlist === true };
}

/**
 * Refuses an empty allowlist when the policy requires one. Called by the users service on create and on
 * every allowlist change, so the app, the CLI and the HTTP bridge all obey it.
 */
export function assertAllowlistAllowed(deps: Pick<ServiceDeps, 'db'>, entries: readonly unknown[], field: string): void {
  if (entries.length === 0 && readOfficePolicy(deps).requireAllowlist) {
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

  get(actor: Actor): OfficePolicy {
    authorize(this.deps, actor, null, 'settings.changed');
    return readOfficePolicy(this.deps);
  }

  set(actor: Actor, input: unknown): OfficePolicy {
    const patch = parseInput(officePolicyInput, input);
    authorize(this.deps, actor, 'users.manage', 'settings.changed');
    return this.deps.db
      .transaction(() => {
        const before = readOfficePolicy(this.deps);
        const after: OfficePolicy = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        for (const key of Object.keys(after) as (keyof OfficePolicy)[]) {
          if (after[key] === before[key]) continue;
          recordEvent(this.deps, actor, {
            type: 'settings.changed',
            details: { setting: `${POLICY_KEY}.${key}`, from: before[key], to: after[key] },
          });
        }
        writeSetting(this.deps.db, POLICY_KEY, after);
        return after;
      })
      .immediate();
  }
}
