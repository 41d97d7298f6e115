import type { AllowlistEntry } from '../../shared/allowlist.js';
import type { Queryable } from '../db/store.js';
import { allowlistOfUser } from '../repos/allowlist.repo.js';
import { effectiveRightsOfUser } from '../repos/groups.repo.js';
import { mailboxesOfUser } from '../repos/mailboxes.repo.js';
import { registeredScopeOfUser } from '../repos/token-clients.repo.js';

/** What a token for a user may carry and where it may be asked from. */
export interface GrantFacts {
  scopes: ReadonlySet<string>;
  scopeList: readonly string[];
  filters: Record<string, string[]>;
  mailboxes: string[];
  allowlist: readonly AllowlistEntry[];
}

/**
 * The user's rights (narrowed to a registered scope), mailboxes and allowlist, read through the repositories the admin services use and
 * kept for `ttlMs` (one second by default): at a few thousand requests a second that turns five queries
 * per request into five per second per client, and an admin's change still applies within the second, on
 * every node over a shared store (each node reads the store itself; nothing needs to tell it).
 * The user's status and the secret's state are not cached here: those are re-read on every request.
 */
export class GrantFactsCache {
  private readonly byUser = new Map<number, { facts: GrantFacts; until: number }>();

  constructor(
    private readonly store: Queryable,
    private readonly ttlMs = 1_000,
    private readonly maxUsers = 10_000,
  ) {}

  async get(userId: number, now: number): Promise<GrantFacts> {
    const hit = this.byUser.get(userId);
    if (hit && hit.until > now) return hit.facts;
    const rights = await effectiveRightsOfUser(this.store, userId);
    // A client registered with an activation (RFC 7591) is held to the scope it registered, within its
    // groups' rights; record filters travel only for the resources that scope still reaches.
    const registered = await registeredScopeOfUser(this.store, userId);
    const scopes = registered === null ? rights.scopes : rights.scopes.filter((s) => registered.includes(s));
    const reached = new Set(scopes.map((s) => s.slice(0, s.lastIndexOf(':'))));
    const filters = registered === null ? rights.filters : Object.fromEntries(Object.entries(rights.filters).filter(([resource]) => reached.has(resource)));
    const facts: GrantFacts = {
      scopes: new Set(scopes),
      scopeList: scopes,
      filters,
      mailboxes: (await mailboxesOfUser(this.store, userId)).map((m) => m.address),
      allowlist: await allowlistOfUser(this.store, userId),
    };
    if (this.byUser.size >= this.maxUsers) this.byUser.clear();
    this.byUser.set(userId, { facts, until: now + this.ttlMs });
    return facts;
  }

  drop(userId: number): void {
    this.byUser.delete(userId);
  }
}
