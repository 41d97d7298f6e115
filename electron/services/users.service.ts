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
import type { Queryable } from '../db/store.js';
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
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';
import { assertGroupsAccept } from './groups.service.js';
import { secretInfo } from './secrets.service.js';

/** People and API users: the accounts table, its memberships, mailboxes and allowlists. */
export class UsersService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, query: ParsedInputOf<'users.list'>): Promise<Page<UserSummary>> {
    await authorize(this.deps, actor, null, 'user.updated');
    return listUsers(this.deps.store, query, this.deps.clock.now());
  }

  async show(actor: Actor, { id }: ParsedInputOf<'users.show'>): Promise<UserDetail> {
    await authorize(this.deps, actor, null, 'user.updated');
    return this.detail(id);
  }

  /** Several users at once (the Users page's export): one permission check, then each one's detail. */
  async showMany(actor: Actor, ids: readonly number[]): Promise<UserDetail[]> {
    await authorize(this.deps, actor, null, 'user.updated');
    const details: UserDetail[] = [];
    for (const id of ids) details.push(await this.detail(id));
    return details;
  }

  async createApiUser(actor: Actor, data: ParsedInputOf<'users.createApiUser'>): Promise<ApiUserCreated> {
    await authorize(this.deps, actor, 'users.manage', 'user.created');
    const now = this.deps.clock.now();
    this.assertFuture({ expiresAt: data.expiresAt, secretExpiresAt: data.secretExpiresAt }, now);
    const allowlist = canonicalAllowlist(data.allowlist);
    // Check everything a clear message can be given for before the slow hash.
    const { store } = this.deps;
    await assertAllowlistAllowed(store, allowlist, 'allowlist');
    await assertNameFree(store, data.name);
    await assertIdsExist(store, data.groupIds, data.mailboxIds);
    await assertGroupsAccept(store, { name: data.name, kind: 'api' }, data.groupIds, (i) => `groupIds.${i}`);

    const secret = generateClientSecret();
    const secretHash = await this.deps.passwords.hash(secret);

    const { userId, clientId, secretId } = await store.transaction(async (tx) => {
      await assertNameFree(tx, data.name); // again: another writer may have taken it while we hashed
      const userId = await insertUser(tx, {
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
      const clientId = await newClientId(tx, data.name);
      await insertClientId(tx, clientId, userId, now);
      const secretId = await insertSecret(tx, {
        userId,
        label: data.secretLabel,
        secretHash,
        createdAt: now,
        createdBy: actor.name,
        expiresAt: data.secretExpiresAt ?? null,
      });
      for (const groupId of data.groupIds) await insertMembership(tx, groupId, userId);
      await setUserMailboxes(tx, userId, data.mailboxIds);
      await setAllowlist(tx, userId, allowlist);
      await recordEvent(tx, this.deps, actor, {
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
      await recordEvent(tx, this.deps, actor, {
        type: 'secret.added',
        target: { id: userId, name: data.name },
        details: { secretId, label: data.secretLabel },
      });
      return { userId, clientId, secretId };
    });

    const user = await this.detail(userId);
    const info = await secretInfo(store, userId, secretId, now);
    return { user, clientId, secret, secretInfo: info };
  }

  async createPerson(actor: Actor, data: ParsedInputOf<'users.createPerson'>): Promise<UserDetail> {
    await authorize(this.deps, actor, 'users.manage', 'user.created');
    await assertNameFree(this.deps.store, data.name);
    await assertIdsExist(this.deps.store, data.groupIds, []);
    const passwordHash = await this.deps.passwords.hash(data.password);
    const now = this.deps.clock.now();
    const id = await this.deps.store.transaction(async (tx) => {
      await assertNameFree(tx, data.name);
      const id = await insertUser(tx, {
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
      for (const groupId of data.groupIds) await insertMembership(tx, groupId, id);
      await recordEvent(tx, this.deps, actor, {
        type: 'user.created',
        target: { id, name: data.name },
        details: { kind: 'person', groupIds: data.groupIds },
      });
      return id;
    });
    return this.detail(id);
  }

  async update(actor: Actor, data: ParsedInputOf<'users.update'>): Promise<UserDetail> {
    await authorize(this.deps, actor, 'users.manage', 'user.updated');
    const user = await this.require(data.id);
    this.assertFuture({ expiresAt: data.expiresAt ?? undefined }, this.deps.clock.now());
    if (data.tokenLifetimeSeconds != null && user.kind !== 'api') {
      throw new ValidationError({ tokenLifetimeSeconds: 'Only API users have a token lifetime' });
    }
    await this.deps.store.transaction(async (tx) => {
      if (data.name !== undefined && data.name.toLowerCase() !== user.name.toLowerCase()) await assertNameFree(tx, data.name);
      if (data.expiresAt != null && user.kind === 'person') await this.assertNotLastAdministrator(tx, user, 'expire');
      const patch = {
        name: data.name,
        email: data.email,
        description: data.description,
        expiresAt: data.expiresAt,
        tokenLifetimeSeconds: data.tokenLifetimeSeconds,
      };
      await updateUser(tx, user.id, patch, this.deps.clock.now());
      await recordEvent(tx, this.deps, actor, {
        type: 'user.updated',
        target: { id: user.id, name: data.name ?? user.name },
        details: { changed: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) },
      });
    });
    return this.detail(user.id);
  }

  async setGroups(actor: Actor, data: ParsedInputOf<'users.setGroups'>): Promise<UserDetail> {
    await authorize(this.deps, actor, 'users.manage', 'user.updated');
    const user = await this.require(data.id);
    await assertIdsExist(this.deps.store, data.groupIds, []);
    // The whole list, not only the groups it adds: an API user already in a people-only group (put there
    // before this rule) is refused until that group is dropped, rather than kept there silently.
    await assertGroupsAccept(this.deps.store, user, data.groupIds, (i) => `groupIds.${i}`);
    await this.deps.store.transaction(async (tx) => {
      const before = new Set(await groupIdsOfUser(tx, user.id));
      const after = new Set(data.groupIds);
      const adminGroup = await findAdministratorsGroupId(tx);
      if (before.has(adminGroup) && !after.has(adminGroup)) await this.assertNotLastAdministrator(tx, user, 'remove');
      for (const g of before) if (!after.has(g)) await deleteMembership(tx, g, user.id);
      for (const g of after) if (!before.has(g)) await insertMembership(tx, g, user.id);
      await recordEvent(tx, this.deps, actor, {
        type: 'user.updated',
        target: { id: user.id, name: user.name },
        details: { groupIds: data.groupIds },
      });
    });
    return this.detail(user.id);
  }

  async setMailboxes(actor: Actor, data: ParsedInputOf<'users.setMailboxes'>): Promise<UserDetail> {
    await authorize(this.deps, actor, 'users.manage', 'user.updated');
    const user = await this.requireApiUser(data.id, 'mailboxIds');
    await assertIdsExist(this.deps.store, [], data.mailboxIds);
    await this.deps.store.transaction(async (tx) => {
      await setUserMailboxes(tx, user.id, data.mailboxIds);
      await recordEvent(tx, this.deps, actor, {
        type: 'user.updated',
        target: { id: user.id, name: user.name },
        details: { mailboxIds: data.mailboxIds },
      });
    });
    return this.detail(user.id);
  }

  async setAllowlist(actor: Actor, data: ParsedInputOf<'users.setAllowlist'>): Promise<UserDetail> {
    await authorize(this.deps, actor, 'users.manage', 'allowlist.changed');
    const user = await this.requireApiUser(data.id, 'entries');
    const entries = canonicalAllowlist(data.entries, 'entries');
    await this.deps.store.transaction(async (tx) => {
      await assertAllowlistAllowed(tx, entries, 'entries');
      await setAllowlist(tx, user.id, entries);
      await recordEvent(tx, this.deps, actor, {
        type: 'allowlist.changed',
        target: { id: user.id, name: user.name },
        details: { entries: entries.map((e) => e.entry) },
      });
    });
    return this.detail(user.id);
  }

  disable(actor: Actor, { id }: ParsedInputOf<'users.disable'>): Promise<UserDetail> {
    return this.setStatus(actor, id, 'disabled');
  }

  enable(actor: Actor, { id }: ParsedInputOf<'users.enable'>): Promise<UserDetail> {
    return this.setStatus(actor, id, 'active');
  }

  private async setStatus(actor: Actor, id: number, status: 'active' | 'disabled'): Promise<UserDetail> {
    const type = status === 'disabled' ? 'user.disabled' : 'user.enabled';
    await authorize(this.deps, actor, 'users.manage', type);
    const user = await this.require(id);
    await this.deps.store.transaction(async (tx) => {
      if (status === 'disabled') await this.assertNotLastAdministrator(tx, user, 'disable');
      await updateUser(tx, id, { status }, this.deps.clock.now());
      await recordEvent(tx, this.deps, actor, { type, target: { id, name: user.name } });
    });
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
    await authorize(this.deps, actor, 'users.manage', 'user.password_reset');
    const user = await this.require(data.id);
    if (user.kind !== 'person') {
      throw new ValidationError({ id: `${user.name} is an API user: it has client secrets, not a password` });
    }
    if (actor.kind === 'person' && actor.userId === user.id) {
      throw new ConflictError('To change your own password, use Change password in your menu: it asks for the current one.');
    }
    const passwordHash = await this.deps.passwords.hash(data.newPassword);
    await this.deps.store.transaction(async (tx) => {
      // Re-read inside the transaction: the account may have been deleted during the argon2 work.
      if (!(await findUserById(tx, user.id))) throw new NotFoundError(`User ${user.id}`);
      await updateUser(tx, user.id, { passwordHash }, this.deps.clock.now());
      await recordEvent(tx, this.deps, actor, { type: 'user.password_reset', target: { id: user.id, name: user.name } });
    });
    return null;
  }

  /** Removes the account, its secrets, memberships and allowlist. Its log history stays, by name. */
  async delete(actor: Actor, { id }: ParsedInputOf<'users.delete'>): Promise<null> {
    await authorize(this.deps, actor, 'users.manage', 'user.deleted');
    const user = await this.require(id);
    if (actor.kind === 'person' && actor.userId === id) {
      throw new ConflictError('You cannot delete your own account; ask another administrator.');
    }
    await this.deps.store.transaction(async (tx) => {
      await this.assertNotLastAdministrator(tx, user, 'delete');
      const clientId = (await findClientIdOfUser(tx, id)) ?? null;
      await deleteUser(tx, id);
      await recordEvent(tx, this.deps, actor, {
        type: 'user.deleted',
        target: { id, name: user.name },
        details: { kind: user.kind, clientId },
      });
    });
    return null;
  }

  async effectiveRights(actor: Actor, { id }: ParsedInputOf<'users.effectiveRights'>): Promise<EffectiveRights> {
    await authorize(this.deps, actor, null, 'user.updated');
    await this.require(id);
    return effectiveRightsFor(this.deps.store, id);
  }

  // --- helpers ------------------------------------------------------------------------------------

  private async detail(id: number): Promise<UserDetail> {
    const { store } = this.deps;
    const summary = await findUserSummary(store, id, this.deps.clock.now());
    const user = await findUserById(store, id);
    if (!summary || !user) throw new NotFoundError(`User ${id}`);
    return {
      ...summary,
      tokenLifetimeSeconds: user.tokenLifetimeSeconds,
      mailboxes: await mailboxesOfUser(store, id),
      allowlist: await allowlistOfUser(store, id),
    };
  }

  private async require(id: number): Promise<UserRecord> {
    const user = await findUserById(this.deps.store, id);
    if (!user) throw new NotFoundError(`User ${id}`);
    return user;
  }

  private async requireApiUser(id: number, field: string): Promise<UserRecord> {
    const user = await this.require(id);
    if (user.kind !== 'api') throw new ValidationError({ [field]: `${user.name} is a person, not an API user` });
    return user;
  }

  private assertFuture(times: Record<string, number | undefined>, now: number): void {
    for (const [field, at] of Object.entries(times)) {
      if (at !== undefined && at <= now) throw new ValidationError({ [field]: 'Must be in the future' });
    }
  }

  /** The built-in Administrators group must keep one active person, or nobody could manage Keyrack. */
  private async assertNotLastAdministrator(
    q: Queryable,
    user: UserRecord,
    verb: 'disable' | 'delete' | 'remove' | 'expire',
  ): Promise<void> {
    if (user.kind !== 'person' || !(await isActiveAdministrator(q, user.id))) return;
    if ((await countActiveAdministrators(q, this.deps.clock.now())) <= 1) {
      throw new ConflictError(
        `Cannot ${verb} ${user.name}: they are the last active administrator. Add another administrator first.`,
      );
    }
  }
}

async function assertNameFree(q: Queryable, name: string): Promise<void> {
  if (await findUserByName(q, name)) {
    throw new ConflictError(`An account named ${name} already exists`, { name: `${name} is already taken` });
  }
}

/** Every group and mailbox id names one (the form field of each that does not says so). */
export async function assertIdsExist(q: Queryable, groupIds: readonly number[], mailboxIds: readonly number[]): Promise<void> {
  const fields: Record<string, string> = {};
  const groups = await existingGroupIds(q, groupIds);
  groupIds.forEach((g, i) => {
    if (!groups.has(g)) fields[`groupIds.${i}`] = `There is no group with id ${g}`;
  });
  const mailboxes = await existingMailboxIds(q, mailboxIds);
  mailboxIds.forEach((m, i) => {
    if (!mailboxes.has(m)) fields[`mailboxIds.${i}`] = `There is no mailbox with id ${m}`;
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

/** `keyrack-<slug>`; a taken slug (even one of a deleted user) gets a number, so no id is ever reused. */
async function newClientId(q: Queryable, name: string): Promise<string> {
  const slug = slugify(name) || 'api-user';
  for (let n = 1; ; n++) {
    const candidate = `${CLIENT_ID_PREFIX}${slug}${n === 1 ? '' : `-${n}`}`;
    if (!(await clientIdExists(q, candidate))) return candidate;
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

export async function effectiveRightsFor(q: Queryable, userId: number): Promise<EffectiveRights> {
  const { scopes, filters } = await effectiveRightsOfUser(q, userId);
  return { scopes, filters, mailboxes: (await mailboxesOfUser(q, userId)).map((m) => m.address) };
}
