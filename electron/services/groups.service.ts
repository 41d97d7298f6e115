import type { ParsedInputOf } from '../../shared/contract.js';
import { isGroupForPeopleOnly, type UserKind } from '../../shared/domain.js';
import type { GroupDetail, GroupSummary } from '../../shared/dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Db } from '../db/open.js';
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
import { existingFilterIds, findResourceByNameOnDb } from '../repos/rights.repo.js';
import { findUserById } from '../repos/users.repo.js';
import { recordEventOnDb } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/**
 * The one check before an account joins groups, whatever the path (groups.addMember, a new API user's
 * groups, users.setGroups): an API user never joins a group that is for people only. `field` names the
 * form field, so the message shows under the chosen group (`groupIds.2`).
 */
export function assertGroupsAccept(
  db: Db,
  user: { name: string; kind: UserKind },
  groupIds: readonly number[],
  field: (index: number) => string,
): void {
  if (user.kind !== 'api') return;
  const fields: Record<string, string> = {};
  groupIds.forEach((groupId, i) => {
    const group = findGroup(db, groupId);
    if (group && isGroupForPeopleOnly(group)) fields[field(i)] = `${user.name} is an API user; ${group.name} is for people`;
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
}

/** Groups carry app permissions (for people) and API rights (for API users). */
export class GroupsService {
  constructor(private readonly deps: ServiceDeps) {}

  list(actor: Actor): GroupSummary[] {
    authorize(this.deps, actor, null, 'group.updated');
    return listGroups(this.deps.db);
  }

  show(actor: Actor, { id }: ParsedInputOf<'groups.show'>): GroupDetail {
    authorize(this.deps, actor, null, 'group.updated');
    return this.require(id);
  }

  create(actor: Actor, data: ParsedInputOf<'groups.create'>): GroupDetail {
    authorize(this.deps, actor, 'groups.manage', 'group.created');
    const id = this.deps.db.transaction(() => {
      this.assertNameFree(data.name);
      const rights = this.resolveRights(data.rights);
      this.assertFiltersExist(data.filterIds);
      const id = insertGroup(this.deps.db, data.name, data.description, this.deps.clock.now());
      setGroupAppPermissions(this.deps.db, id, data.appPermissions);
      for (const r of rights) insertGroupRight(this.deps.db, id, r.resourceId, r.action);
      setGroupFilters(this.deps.db, id, data.filterIds);
      recordEventOnDb(this.deps, actor, {
        type: 'group.created',
        details: { groupId: id, name: data.name, appPermissions: data.appPermissions, rights: data.rights.map(scope) },
      });
      return id;
    }).immediate();
    return this.require(id);
  }

  update(actor: Actor, data: ParsedInputOf<'groups.update'>): GroupDetail {
    authorize(this.deps, actor, 'groups.manage', 'group.updated');
    const group = this.require(data.id);
    if (group.builtin && (data.name !== undefined || data.appPermissions !== undefined)) {
      throw new ConflictError(`${group.name} is built in: its name and app permissions cannot change`);
    }
    this.deps.db.transaction(() => {
      if (data.name !== undefined && data.name.toLowerCase() !== group.name.toLowerCase()) this.assertNameFree(data.name);
      const rights = data.rights && this.resolveRights(data.rights);
      if (data.filterIds) this.assertFiltersExist(data.filterIds);
      updateGroupRow(this.deps.db, group.id, { name: data.name, description: data.description }, this.deps.clock.now());
      if (data.appPermissions) setGroupAppPermissions(this.deps.db, group.id, data.appPermissions);
      if (rights) {
        clearGroupRights(this.deps.db, group.id);
        for (const r of rights) insertGroupRight(this.deps.db, group.id, r.resourceId, r.action);
      }
      if (data.filterIds) setGroupFilters(this.deps.db, group.id, data.filterIds);
      recordEventOnDb(this.deps, actor, {
        type: 'group.updated',
        details: {
          groupId: group.id,
          name: data.name ?? group.name,
          ...(data.appPermissions ? { appPermissions: data.appPermissions } : {}),
          ...(data.rights ? { rights: data.rights.map(scope) } : {}),
          ...(data.filterIds ? { filterIds: data.filterIds } : {}),
        },
      });
    }).immediate();
    return this.require(group.id);
  }

  delete(actor: Actor, { id }: ParsedInputOf<'groups.delete'>): null {
    authorize(this.deps, actor, 'groups.manage', 'group.deleted');
    const group = this.require(id);
    if (group.builtin) throw new ConflictError(`${group.name} is built in and cannot be deleted`);
    this.deps.db.transaction(() => {
      deleteGroupRow(this.deps.db, id);
      recordEventOnDb(this.deps, actor, {
        type: 'group.deleted',
        details: { groupId: id, name: group.name, members: group.members.map((m) => m.name) },
      });
    }).immediate();
    return null;
  }

  addMember(actor: Actor, { groupId, userId }: ParsedInputOf<'groups.addMember'>): GroupDetail {
    authorize(this.deps, actor, 'groups.manage', 'group.member_added');
    const group = this.require(groupId);
    const user = findUserById(this.deps.db, userId);
    if (!user) throw new ValidationError({ userId: `There is no user with id ${userId}` });
    assertGroupsAccept(this.deps.db, user, [groupId], () => 'userId');
    this.deps.db.transaction(() => {
      if (!insertMembership(this.deps.db, groupId, userId)) return;
      recordEventOnDb(this.deps, actor, {
        type: 'group.member_added',
        target: { id: user.id, name: user.name },
        details: { groupId, group: group.name },
      });
    }).immediate();
    return this.require(groupId);
  }

  removeMember(actor: Actor, { groupId, userId }: ParsedInputOf<'groups.removeMember'>): GroupDetail {
    authorize(this.deps, actor, 'groups.manage', 'group.member_removed');
    const group = this.require(groupId);
    const member = group.members.find((m) => m.id === userId);
    if (!member) throw new NotFoundError(`User ${userId} in ${group.name}`);
    this.deps.db.transaction(() => {
      if (
        group.builtin &&
        isActiveAdministrator(this.deps.db, userId) &&
        countActiveAdministrators(this.deps.db, this.deps.clock.now()) <= 1
      ) {
        throw new ConflictError(`${member.name} is the last active administrator; add another one first`);
      }
      deleteMembership(this.deps.db, groupId, userId);
      recordEventOnDb(this.deps, actor, {
        type: 'group.member_removed',
        target: { id: member.id, name: member.name },
        details: { groupId, group: group.name },
      });
    }).immediate();
    return this.require(groupId);
  }

  grant(actor: Actor, data: ParsedInputOf<'groups.grant'>): GroupDetail {
    authorize(this.deps, actor, 'groups.manage', 'group.right_granted');
    const group = this.require(data.groupId);
    this.deps.db.transaction(() => {
      const [right] = this.resolveRights([data], 'resource');
      if (!insertGroupRight(this.deps.db, group.id, right!.resourceId, data.action)) return;
      recordEventOnDb(this.deps, actor, {
        type: 'group.right_granted',
        details: { groupId: group.id, group: group.name, scope: scope(data) },
      });
    }).immediate();
    return this.require(group.id);
  }

  revoke(actor: Actor, data: ParsedInputOf<'groups.revoke'>): GroupDetail {
    authorize(this.deps, actor, 'groups.manage', 'group.right_revoked');
    const group = this.require(data.groupId);
    const resource = findResourceByNameOnDb(this.deps.db, data.resource);
    if (!resource || !group.rights.some((r) => r.resource === data.resource && r.action === data.action)) {
      throw new NotFoundError(`The right ${scope(data)} in ${group.name}`);
    }
    this.deps.db.transaction(() => {
      deleteGroupRight(this.deps.db, group.id, resource.id, data.action);
      recordEventOnDb(this.deps, actor, {
        type: 'group.right_revoked',
        details: { groupId: group.id, group: group.name, scope: scope(data) },
      });
    }).immediate();
    return this.require(group.id);
  }

  private require(id: number): GroupDetail {
    const group = findGroupDetail(this.deps.db, id);
    if (!group) throw new NotFoundError(`Group ${id}`);
    return group;
  }

  private assertNameFree(name: string): void {
    if (findGroupByName(this.deps.db, name)) {
      throw new ConflictError(`A group named ${name} already exists`, { name: `${name} is already taken` });
    }
  }

  /** Each right must name a resource and one of its actions from the catalogue. */
  private resolveRights(
    rights: readonly { resource: string; action: string }[],
    field = 'rights',
  ): { resourceId: number; action: string }[] {
    const fields: Record<string, string> = {};
    const resolved = rights.flatMap((r, i) => {
      const key = field === 'rights' ? `rights.${i}` : field;
      const resource = findResourceByNameOnDb(this.deps.db, r.resource);
      if (!resource) {
        fields[key] = `There is no resource ${r.resource} in the rights catalogue`;
        return [];
      }
      if (!resource.actions.includes(r.action)) {
        fields[key] = `${r.resource} has no action ${r.action} (it has: ${resource.actions.join(', ')})`;
        return [];
      }
      return [{ resourceId: resource.id, action: r.action }];
    });
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
    return resolved;
  }

  private assertFiltersExist(ids: readonly number[]): void {
    const existing = existingFilterIds(this.deps.db, ids);
    const fields: Record<string, string> = {};
    ids.forEach((id, i) => {
      if (!existing.has(id)) fields[`filterIds.${i}`] = `There is no record filter with id ${id}`;
    });
    if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  }
}

const scope = (r: { resource: string; action: string }) => `${r.resource}:${r.action}`;
