import type { ParsedInputOf } from '../../shared/contract.js';
import { isGroupForPeopleOnly, type UserKind } from '../../shared/domain.js';
import type { GroupDetail, GroupSummary } from '../../shared/dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Queryable } from '../db/store.js';
import {
  clearGroupRights,
  countActiveAdministrators,
  deleteGroupRight,
  deleteGroupRow,
  deleteMembership,
  findGroup,
  findGroupByName,
  findGroupDetail,
  insertGroup,
  insertGroupRight,
  insertMembership,
  isActiveAdministrator,
  listGroups,
  setGroupAppPermissions,
  setGroupFilters,
  updateGroupRow,
} from '../repos/groups.repo.js';
import { existingFilterIds, findResourceByName } from '../repos/rights.repo.js';
import { findUserById } from '../repos/users.repo.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/**
 * The one check before an account joins groups, whatever the path (groups.addMember, a new API user's
 * groups, users.setGroups): an API user never joins a group that is for people only. `field` names the
 * form field, so the message shows under the chosen group (`groupIds.2`).
 */
export async function assertGroupsAccept(
  q: Queryable,
  user: { name: string; kind: UserKind },
  groupIds: readonly number[],
  field: (index: number) => string,
): Promise<void> {
  if (user.kind !== 'api') return;
  const fields: Record<string, string> = {};
  for (const [i, groupId] of groupIds.entries()) {
    const group = await findGroup(q, groupId);
    if (group && isGroupForPeopleOnly(group)) fields[field(i)] = `${user.name} is an API user; ${group.name} is for people`;
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

/** Groups carry app permissions (for people) and API rights (for API users). */
export class GroupsService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor): Promise<GroupSummary[]> {
    await authorize(this.deps, actor, null, 'group.updated');
    return listGroups(this.deps.store);
  }

  async show(actor: Actor, { id }: ParsedInputOf<'groups.show'>): Promise<GroupDetail> {
    await authorize(this.deps, actor, null, 'group.updated');
    return this.require(id);
  }

  async create(actor: Actor, data: ParsedInputOf<'groups.create'>): Promise<GroupDetail> {
    await authorize(this.deps, actor, 'groups.manage', 'group.created');
    const id = await this.deps.store.transaction(async (tx) => {
      await this.assertNameFree(tx, data.name);
      const rights = await this.resolveRights(tx, data.rights);
      await this.assertFiltersExist(tx, data.filterIds);
      const id = await insertGroup(tx, data.name, data.description, this.deps.clock.now());
      await setGroupAppPermissions(tx, id, data.appPermissions);
      for (const r of rights) await insertGroupRight(tx, id, r.resourceId, r.action);
      await setGroupFilters(tx, id, data.filterIds);
      await recordEvent(tx, this.deps, actor, {
        type: 'group.created',
        details: { groupId: id, name: data.name, appPermissions: data.appPermissions, rights: data.rights.map(scope) },
      });
      return id;
    });
    return this.require(id);
  }

  async update(actor: Actor, data: ParsedInputOf<'groups.update'>): Promise<GroupDetail> {
    await authorize(this.deps, actor, 'groups.manage', 'group.updated');
    const group = await this.require(data.id);
    if (group.builtin && (data.name !== undefined || data.appPermissions !== undefined)) {
      throw new ConflictError(`${group.name} is built in: its name and app permissions cannot change`);
    }
    await this.deps.store.transaction(async (tx) => {
      if (data.name !== undefined && data.name.toLowerCase() !== group.name.toLowerCase()) await this.assertNameFree(tx, data.name);
      const rights = data.rights && (await this.resolveRights(tx, data.rights));
      if (data.filterIds) await this.assertFiltersExist(tx, data.filterIds);
      await updateGroupRow(tx, group.id, { name: data.name, description: data.description }, this.deps.clock.now());
      if (data.appPermissions) await setGroupAppPermissions(tx, group.id, data.appPermissions);
      if (rights) {
        await clearGroupRights(tx, group.id);
        for (const r of rights) await insertGroupRight(tx, group.id, r.resourceId, r.action);
      }
      if (data.filterIds) await setGroupFilters(tx, group.id, data.filterIds);
      await recordEvent(tx, this.deps, actor, {
        type: 'group.updated',
        details: {
          groupId: group.id,
          name: data.name ?? group.name,
          ...(data.appPermissions ? { appPermissions: data.appPermissions } : {}),
          ...(data.rights ? { rights: data.rights.map(scope) } : {}),
          ...(data.filterIds ? { filterIds: data.filterIds } : {}),
        },
      });
    });
    return this.require(group.id);
  }

  async delete(actor: Actor, { id }: ParsedInputOf<'groups.delete'>): Promise<null> {
    await authorize(this.deps, actor, 'groups.manage', 'group.deleted');
    const group = await this.require(id);
    if (group.builtin) throw new ConflictError(`${group.name} is built in and cannot be deleted`);
    await this.deps.store.transaction(async (tx) => {
      await deleteGroupRow(tx, id);
      await recordEvent(tx, this.deps, actor, {
        type: 'group.deleted',
        details: { groupId: id, name: group.name, members: group.members.map((m) => m.name) },
      });
    });
    return null;
  }

  async addMember(actor: Actor, { groupId, userId }: ParsedInputOf<'groups.addMember'>): Promise<GroupDetail> {
    await authorize(this.deps, actor, 'groups.manage', 'group.member_added');
    const group = await this.require(groupId);
    const user = await findUserById(this.deps.store, userId);
    if (!user) throw new ValidationError({ userId: `There is no user with id ${userId}` });
    await assertGroupsAccept(this.deps.store, user, [groupId], () => 'userId');
    await this.deps.store.transaction(async (tx) => {
      if (!(await insertMembership(tx, groupId, userId))) return;
      await recordEvent(tx, this.deps, actor, {
        type: 'group.member_added',
        target: { id: user.id, name: user.name },
        details: { groupId, group: group.name },
      });
    });
    return this.require(groupId);
  }

  async removeMember(actor: Actor, { groupId, userId }: ParsedInputOf<'groups.removeMember'>): Promise<GroupDetail> {
    await authorize(this.deps, actor, 'groups.manage', 'group.member_removed');
    const group = await this.require(groupId);
    const member = group.members.find((m) => m.id === userId);
    if (!member) throw new NotFoundError(`User ${userId} in ${group.name}`);
    await this.deps.store.transaction(async (tx) => {
      if (
        group.builtin &&
        await isActiveAdministrator(tx, userId) &&
        await countActiveAdministrators(tx, this.deps.clock.now()) <= 1
      ) {
        throw new ConflictError(`${member.name} is the last active administrator; add another one first`);
      }
      await deleteMembership(tx, groupId, userId);
      await recordEvent(tx, this.deps, actor, {
        type: 'group.member_removed',
        target: { id: member.id, name: member.name },
        details: { groupId, group: group.name },
      });
    });
    return this.require(groupId);
  }

  async grant(actor: Actor, data: ParsedInputOf<'groups.grant'>): Promise<GroupDetail> {
    await authorize(this.deps, actor, 'groups.manage', 'group.right_granted');
    const group = await this.require(data.groupId);
    await this.deps.store.transaction(async (tx) => {
      const [right] = await this.resolveRights(tx, [data], 'resource');
      if (!(await insertGroupRight(tx, group.id, right!.resourceId, data.action))) return;
      await recordEvent(tx, this.deps, actor, {
        type: 'group.right_granted',
        details: { groupId: group.id, group: group.name, scope: scope(data) },
      });
    });
    return this.require(group.id);
  }

  async revoke(actor: Actor, data: ParsedInputOf<'groups.revoke'>): Promise<GroupDetail> {
    await authorize(this.deps, actor, 'groups.manage', 'group.right_revoked');
    const group = await this.require(data.groupId);
    const resource = await findResourceByName(this.deps.store, data.resource);
    if (!resource || !group.rights.some((r) => r.resource === data.resource && r.action === data.action)) {
      throw new NotFoundError(`The right ${scope(data)} in ${group.name}`);
    }
    await this.deps.store.transaction(async (tx) => {
      await deleteGroupRight(tx, group.id, resource.id, data.action);
      await recordEvent(tx, this.deps, actor, {
        type: 'group.right_revoked',
        details: { groupId: group.id, group: group.name, scope: scope(data) },
      });
    });
    return this.require(group.id);
  }

  private async require(id: number): Promise<GroupDetail> {
    const group = await findGroupDetail(this.deps.store, id);
    if (!group) throw new NotFoundError(`Group ${id}`);
    return group;
  }

  private async assertNameFree(q: Queryable, name: string): Promise<void> {
    if (await findGroupByName(q, name)) {
      throw new ConflictError(`A group named ${name} already exists`, { name: `${name} is already taken` });
    }
  }

  /** Each right must name a resource and one of its actions from the catalogue. */
  private async resolveRights(
    q: Queryable,
    rights: readonly { resource: string; action: string }[],
    field = 'rights',
  ): Promise<{ resourceId: number; action: string }[]> {
    const fields: Record<string, string> = {};
    const resolved: { resourceId: number; action: string }[] = [];
    for (const [i, r] of rights.entries()) {
      const key = field === 'rights' ? `rights.${i}` : field;
      const resource = await findResourceByName(q, r.resource);
      if (!resource) {
        fields[key] = `There is no resource ${r.resource} in the rights catalogue`;
      } else if (!resource.actions.includes(r.action)) {
        fields[key] = `${r.resource} has no action ${r.action} (it has: ${resource.actions.join(', ')})`;
      } else {
        resolved.push({ resourceId: resource.id, action: r.action });
      }
    }
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    return resolved;
  }

  private async assertFiltersExist(q: Queryable, ids: readonly number[]): Promise<void> {
    const existing = await existingFilterIds(q, ids);
    const fields: Record<string, string> = {};
    ids.forEach((id, i) => {
      if (!existing.has(id)) fields[`filterIds.${i}`] = `There is no record filter with id ${id}`;
    });
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  }
}

const scope = (r: { resource: string; action: string }) => `${r.resource}:${r.action}`;
