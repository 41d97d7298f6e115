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
  /**
   * Reads in progress, by user: when an entry expires under load, the requests meanwhile wait for one read
   * instead of each making its own (on PostgreSQL every read is a round trip; the benchmark saw some 60
   * re-reads a second for one client before this).
   */
  private readonly reading = new Map<number, Promise<GrantFacts>>();

  constructor(
    private readonly store: Queryable,
    private readonly ttlMs = 1_000,
    private readonly maxUsers = 10_000,
  ) {}

  get(userId: number, now: number): Promise<GrantFacts> {
    const hit = this.byUser.get(userId);
    if (hit && hit.until > now) return Promise.resolve(hit.facts);
    const inFlight = this.reading.get(userId);
    if (inFlight) return inFlight;
    const read = this.read(userId).then(
      (facts) => {
        // Kept only if no drop() came meanwhile: a change made during the read must not be cached over.
        if (this.reading.get(userId) === read) {
          if (this.byUser.size >= this.maxUsers) this.byUser.clear();
          this.byUser.set(userId, { facts, until: now + this.ttlMs });
        }
        return facts;
      },
    ).finally(() => {
      if (this.reading.get(userId) === read) this.reading.delete(userId);
    });
    this.reading.set(userId, read);
    return read;
  }

  drop(userId: number): void {
    this.byUser.delete(userId);
    this.reading.delete(userId);
  }

  private async read(userId: number): Promise<GrantFacts> {
    const [rights, registered, mailboxes, allowlist] = await Promise.all([
      effectiveRightsOfUser(this.store, userId),
      registeredScopeOfUser(this.store, userId),
      mailboxesOfUser(this.store, userId),
      allowlistOfUser(this.store, userId),
    ]);
    // A client registered with an activation (RFC 7591) is held to the scope it registered, within its
    // groups' rights; record filters travel only for the resources that scope still reaches.
    const scopes = registered === null ? rights.scopes : rights.scopes.filter((s) => registered.includes(s));
    const reached = new Set(scopes.map((s) => s.slice(0, s.lastIndexOf(':'))));
    const filters = registered === null ? rights.filters : Object.fromEntries(Object.entries(rights.filters).filter(([resource]) => reached.has(resource)));
    return { scopes: new Set(scopes), scopeList: scopes, filters, mailboxes: mailboxes.map((m) => m.address), allowlist };
  }
}
