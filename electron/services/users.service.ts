import type { ParsedInputOf } from '../../shared/contract.js';
import { parseAllowlistEntry, type AllowlistEntry } from '../../shared/allowlist.js';
import { CLIENT_ID_PREFIX } from '../../shared/domain.js';
import type { ApiUserCreated, EffectiveRights, Page, UserDetail, UserSummary } from '../../shared/dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { generateClientSecret } from '../crypto/secrets.js';
import { allowlistOfUser, setAllowlist } from '../repos/allowlist.repo.js';
import { clientIdExists, findClientIdOfUser, insertClientId, insertSecret } from '../repos/credentials.repo.js';
import {
  countActiveAdministrators,
  effectiveRightsOfUser,
  existingGroupIds,
  findAdministratorsGroupId,
  groupIdsOfUser,
  insertMembership,
  deleteMembership,
  isActiveAdministrator,
} from '../repos/groups.repo.js';
import { existingMailboxIds, mailboxesOfUser, setUserMailboxes } from '../repos/mailboxes.repo.js';
import {
  deleteUser,
  findUserById,
  findUserByName,
  findUserSummary,
  insertUser,
  listUsers,
  updateUser,
  type UserRecord,
} from '../repos/users.repo.js';
import { assertAllowlistAllowed } from './policy.service.js';
import { recordEventOnDb } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';
import { assertGroupsAccept } from './groups.service.js';
import { secretInfo } from './secrets.service.js';

/** People and API users: the accounts table, its memberships, mailboxes and allowlists. */
export class UsersService {
  constructor(private readonly deps: ServiceDeps) {}

  list(actor: Actor, query: ParsedInputOf<'users.list'>): Page<UserSummary> {
    authorize(this.deps, actor, null, 'user.updated');
    return listUsers(this.deps.db, query, this.deps.clock.now());
  }

  show(actor: Actor, { id }: ParsedInputOf<'users.show'>): UserDetail {
    authorize(this.deps, actor, null, 'user.updated');
    return this.detail(id);
  }

  /** Several users at once (the Users page's export): one permission check, then each one's detail. */
  showMany(actor: Actor, ids: readonly number[]): UserDetail[] {
    authorize(this.deps, actor, null, 'user.updated');
    return ids.map((id) => this.detail(id));
  }

  async createApiUser(actor: Actor, data: ParsedInputOf<'users.createApiUser'>): Promise<ApiUserCreated> {
    authorize(this.deps, actor, 'users.manage', 'user.created');
    const now = this.deps.clock.now();
    this.assertFuture({ expiresAt: data.expiresAt, secretExpiresAt: data.secretExpiresAt }, now);
    const allowlist = canonicalAllowlist(data.allowlist);
    // Check everything a clear message can be given for before the slow hash.
    assertAllowlistAllowed(this.deps, allowlist, 'allowlist');
    this.assertNameFree(data.name);
    this.assertIdsExist(data.groupIds, data.mailboxIds);
    assertGroupsAccept(this.deps.db, { name: data.name, kind: 'api' }, data.groupIds, (i) => `groupIds.${i}`);

    const secret = generateClientSecret();
    const secretHash = await this.deps.passwords.hash(secret);

    const { userId, clientId, secretId } = this.deps.db.transaction(() => {
      this.assertNameFree(data.name); // again: another writer may have taken it while we hashed
      const userId = insertUser(this.deps.db, {
        kind: 'api',
        name: data.name,
        email: data.email ?? null,
        description: data.description,
        status: 'active',
        expiresAt: data.expiresAt ?? null,
        passwordHash: null,
        tokenLifetimeSeconds: null,
        createdAt: now,
        createdBy: actor.name,
      });
      const clientId = this.newClientId(data.name);
      insertClientId(this.deps.db, clientId, userId, now);
      const secretId = insertSecret(this.deps.db, {
        userId,
        label: data.secretLabel,
        secretHash,
        createdAt: now,
        createdBy: actor.name,
        expiresAt: data.secretExpiresAt ?? null,
      });
      for (const groupId of data.groupIds) insertMembership(this.deps.db, groupId, userId);
      setUserMailboxes(this.deps.db, userId, data.mailboxIds);
      setAllowlist(this.deps.db, userId, allowlist);
      recordEventOnDb(this.deps, actor, {
        type: 'user.created',
        target: { id: userId, name: data.name },
        details: {
          kind: 'api',
          clientId,
          groupIds: data.groupIds,
          mailboxIds: data.mailboxIds,
          allowlist: allowlist.map((e) => e.entry),
          expiresAt: data.expiresAt ?? null,
        },
      });
      recordEventOnDb(this.deps, actor, {
        type: 'secret.added',
        target: { id: userId, name: data.name },
        details: { secretId, label: data.secretLabel },
      });
      return { userId, clientId, secretId };
    }).immediate();

    const user = this.detail(userId);
    const info = secretInfo(this.deps.db, userId, secretId, now);
    return { user, clientId, secret, secretInfo: info };
  }

  async createPerson(actor: Actor, data: ParsedInputOf<'users.createPerson'>): Promise<UserDetail> {
    authorize(this.deps, actor, 'users.manage', 'user.created');
    this.assertNameFree(data.name);
    this.assertIdsExist(data.groupIds, []);
    const passwordHash = await this.deps.passwords.hash(data.password);
    const now = this.deps.clock.now();
    const id = this.deps.db.transaction(() => {
      this.assertNameFree(data.name);
      const id = insertUser(this.deps.db, {
        kind: 'person',
        name: data.name,
        email: data.email ?? null,
        description: '',
        status: 'active',
        expiresAt: null,
        passwordHash,
        tokenLifetimeSeconds: null,
        createdAt: now,
        createdBy: actor.name,
      });
      for (const groupId of data.groupIds) insertMembership(this.deps.db, groupId, id);
      recordEventOnDb(this.deps, actor, {
        type: 'user.created',
        target: { id, name: data.name },
        details: { kind: 'person', groupIds: data.groupIds },
      });
      return id;
    }).immediate();
    return this.detail(id);
  }

  update(actor: Actor, data: ParsedInputOf<'users.update'>): UserDetail {
    authorize(this.deps, actor, 'users.manage', 'user.updated');
    const user = this.require(data.id);
    this.assertFuture({ expiresAt: data.expiresAt ?? undefined }, this.deps.clock.now());
    if (data.tokenLifetimeSeconds != null && user.kind !== 'api') {
      throw new ValidationError({ tokenLifetimeSeconds: 'Only API users have a token lifetime' });
    }
    this.deps.db.transaction(() => {
      if (data.name !== undefined && data.name.toLowerCase() !== user.name.toLowerCase()) this.assertNameFree(data.name);
      if (data.expiresAt != null && user.kind === 'person') this.assertNotLastAdministrator(user, 'expire');
      const patch = {
        name: data.name,
        email: data.email,
        description: data.description,
        expiresAt: data.expiresAt,
        tokenLifetimeSeconds: data.tokenLifetimeSeconds,
      };
      updateUser(this.deps.db, user.id, patch, this.deps.clock.now());
      recordEventOnDb(this.deps, actor, {
        type: 'user.updated',
        target: { id: user.id, name: data.name ?? user.name },
        details: { changed: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) },
      });
    }).immediate();
    return this.detail(user.id);
  }

  setGroups(actor: Actor, data: ParsedInputOf<'users.setGroups'>): UserDetail {
    authorize(this.deps, actor, 'users.manage', 'user.updated');
    const user = this.require(data.id);
    this.assertIdsExist(data.groupIds, []);
    // The whole list, not only the groups it adds: an API user already in a people-only group (put there
    // before this rule) is refused until that group is dropped, rather than kept there silently.
    assertGroupsAccept(this.deps.db, user, data.groupIds, (i) => `groupIds.${i}`);
    this.deps.db.transaction(() => {
      const before = new Set(groupIdsOfUser(this.deps.db, user.id));
      const after = new Set(data.groupIds);
      const adminGroup = findAdministratorsGroupId(this.deps.db);
      if (before.has(adminGroup) && !after.has(adminGroup)) this.assertNotLastAdministrator(user, 'remove');
      for (const g of before) if (!after.has(g)) deleteMembership(this.deps.db, g, user.id);
      for (const g of after) if (!before.has(g)) insertMembership(this.deps.db, g, user.id);
      recordEventOnDb(this.deps, actor, {
        type: 'user.updated',
        target: { id: user.id, name: user.name },
        details: { groupIds: data.groupIds },
      });
    }).immediate();
    return this.detail(user.id);
  }

  setMailboxes(actor: Actor, data: ParsedInputOf<'users.setMailboxes'>): UserDetail {
    authorize(this.deps, actor, 'users.manage', 'user.updated');
    const user = this.requireApiUser(data.id, 'mailboxIds');
    this.assertIdsExist([], data.mailboxIds);
    this.deps.db.transaction(() => {
      setUserMailboxes(this.deps.db, user.id, data.mailboxIds);
      recordEventOnDb(this.deps, actor, {
        type: 'user.updated',
        target: { id: user.id, name: user.name },
        details: { mailboxIds: data.mailboxIds },
      });
    }).immediate();
    return this.detail(user.id);
  }

  setAllowlist(actor: Actor, data: ParsedInputOf<'users.setAllowlist'>): UserDetail {
    authorize(this.deps, actor, 'users.manage', 'allowlist.changed');
    const user = this.requireApiUser(data.id, 'entries');
    const entries = canonicalAllowlist(data.entries, 'entries');
    this.deps.db.transaction(() => {
      assertAllowlistAllowed(this.deps, entries, 'entries');
      setAllowlist(this.deps.db, user.id, entries);
      recordEventOnDb(this.deps, actor, {
        type: 'allowlist.changed',
        target: { id: user.id, name: user.name },
        details: { entries: entries.map((e) => e.entry) },
      });
    }).immediate();
    return this.detail(user.id);
  }

  disable(actor: Actor, { id }: ParsedInputOf<'users.disable'>): UserDetail {
    return this.setStatus(actor, id, 'disabled');
  }

  enable(actor: Actor, { id }: ParsedInputOf<'users.enable'>): UserDetail {
    return this.setStatus(actor, id, 'active');
  }

  private setStatus(actor: Actor, id: number, status: 'active' | 'disabled'): UserDetail {
    const type = status === 'disabled' ? 'user.disabled' : 'user.enabled';
    authorize(this.deps, actor, 'users.manage', type);
    const user = this.require(id);
    this.deps.db.transaction(() => {
      if (status === 'disabled') this.assertNotLastAdministrator(user, 'disable');
      updateUser(this.deps.db, id, { status }, this.deps.clock.now());
      recordEventOnDb(this.deps, actor, { type, target: { id, name: user.name } });
    }).immediate();
    return this.detail(id);
  }

  /**
   * Sets another person's password without asking for the current one (they may have forgotten it): the
   * "New person" form promises a password can be changed later, and this is how an administrator does it.
   * Your own password goes through auth.changePassword, which asks for the current one; letting an
   * administrator skip that for themselves would let anyone at an unlocked session take the account over.
   * The log records who reset whose password, never the password.
   */
  async resetPassword(actor: Actor, data: ParsedInputOf<'users.resetPassword'>): Promise<null> {
    authorize(this.deps, actor, 'users.manage', 'user.password_reset');
    const user = this.require(data.id);
    if (user.kind !== 'person') {
      throw new ValidationError({ id: `${user.name} is an API user: it has client secrets, not a password` });
    }
    if (actor.kind === 'person' && actor.userId === user.id) {
      throw new ConflictError('To change your own password, use Change password in your menu: it asks for the current one.');
    }
    const passwordHash = await this.deps.passwords.hash(data.newPassword);
    this.deps.db.transaction(() => {
      // Re-read inside the transaction: the account may have been deleted during the argon2 work.
      this.require(user.id);
      updateUser(this.deps.db, user.id, { passwordHash }, this.deps.clock.now());
      recordEventOnDb(this.deps, actor, { type: 'user.password_reset', target: { id: user.id, name: user.name } });
    }).immediate();
    return null;
  }

  /** Removes the account, its secrets, memberships and allowlist. Its log history stays, by name. */
  delete(actor: Actor, { id }: ParsedInputOf<'users.delete'>): null {
    authorize(this.deps, actor, 'users.manage', 'user.deleted');
    const user = this.require(id);
    if (actor.kind === 'person' && actor.userId === id) {
      throw new ConflictError('You cannot delete your own account; ask another administrator.');
    }
    this.deps.db.transaction(() => {
      this.assertNotLastAdministrator(user, 'delete');
      const clientId = findClientIdOfUser(this.deps.db, id) ?? null;
      deleteUser(this.deps.db, id);
      recordEventOnDb(this.deps, actor, {
        type: 'user.deleted',
        target: { id, name: user.name },
        details: { kind: user.kind, clientId },
      });
    }).immediate();
    return null;
  }

  effectiveRights(actor: Actor, { id }: ParsedInputOf<'users.effectiveRights'>): EffectiveRights {
    authorize(this.deps, actor, null, 'user.updated');
    this.require(id);
    return effectiveRightsFor(this.deps, id);
  }

  // --- helpers ------------------------------------------------------------------------------------

  private detail(id: number): UserDetail {
    const now = this.deps.clock.now();
    const summary = findUserSummary(this.deps.db, id, now);
    const user = findUserById(this.deps.db, id);
    if (!summary || !user) throw new NotFoundError(`User ${id}`);
    return {
      ...summary,
      tokenLifetimeSeconds: user.tokenLifetimeSeconds,
      mailboxes: mailboxesOfUser(this.deps.db, id),
      allowlist: allowlistOfUser(this.deps.db, id),
    };
  }

  private require(id: number): UserRecord {
    const user = findUserById(this.deps.db, id);
    if (!user) throw new NotFoundError(`User ${id}`);
    return user;
  }

  private requireApiUser(id: number, field: string): UserRecord {
    const user = this.require(id);
    if (user.kind !== 'api') throw new ValidationError({ [field]: `${user.name} is a person, not an API user` });
    return user;
  }

  private assertNameFree(name: string): void {
    if (findUserByName(this.deps.db, name)) {
      throw new ConflictError(`An account named ${name} already exists`, { name: `${name} is already taken` });
    }
  }

  private assertIdsExist(groupIds: readonly number[], mailboxIds: readonly number[]): void {
    const fields: Record<string, string> = {};
    const groups = existingGroupIds(this.deps.db, groupIds);
    groupIds.forEach((g, i) => {
      if (!groups.has(g)) fields[`groupIds.${i}`] = `There is no group with id ${g}`;
    });
    const mailboxes = existingMailboxIds(this.deps.db, mailboxIds);
    mailboxIds.forEach((m, i) => {
      if (!mailboxes.has(m)) fields[`mailboxIds.${i}`] = `There is no mailbox with id ${m}`;
    });
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  }

  private assertFuture(times: Record<string, number | undefined>, now: number): void {
    for (const [field, at] of Object.entries(times)) {
      if (at !== undefined && at <= now) throw new ValidationError({ [field]: 'Must be in the future' });
    }
  }

  /** The built-in Administrators group must keep one active person, or nobody could manage Keyrack. */
  private assertNotLastAdministrator(user: UserRecord, verb: 'disable' | 'delete' | 'remove' | 'expire'): void {
    if (user.kind !== 'person' || !isActiveAdministrator(this.deps.db, user.id)) return;
    if (countActiveAdministrators(this.deps.db, this.deps.clock.now()) <= 1) {
      throw new ConflictError(
        `Cannot ${verb} ${user.name}: they are the last active administrator. Add another administrator first.`,
      );
    }
  }

  /** `keyrack-<slug>`; a taken slug (even one of a deleted user) gets a number, so no id is ever reused. */
  private newClientId(name: string): string {
    const slug = slugify(name) || 'api-user';
    for (let n = 1; ; n++) {
      const candidate = `${CLIENT_ID_PREFIX}${slug}${n === 1 ? '' : `-${n}`}`;
      if (!clientIdExists(this.deps.db, candidate)) return candidate;
    }
  }
}

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** Canonical, de-duplicated entries; the schema has already refused anything unparseable. */
export function canonicalAllowlist(entries: readonly string[], field = 'allowlist'): AllowlistEntry[] {
  const seen = new Map<string, AllowlistEntry>();
  entries.forEach((text, i) => {
    const parsed = parseAllowlistEntry(text);
    if (!parsed.ok) throw new ValidationError({ [`${field}.${i}`]: parsed.message });
    seen.set(parsed.value.entry, parsed.value);
  });
  return [...seen.values()];
}

export function effectiveRightsFor(deps: ServiceDeps, userId: number): EffectiveRights {
  const { scopes, filters } = effectiveRightsOfUser(deps.db, userId);
  return { scopes, filters, mailboxes: mailboxesOfUser(deps.db, userId).map((m) => m.address) };
}
