import type { Queryable } from '../db/store.js';
import { byName, idsIn, sameName } from './dialect.js';
import type { AppPermission, UserKind, UserStatus } from '../../shared/domain.js';
import type { GroupDetail, GroupSummary } from '../../shared/dto.js';
import { combineRights, type EffectiveRightsParts } from '../../shared/rights.js';

interface GroupRow {
  id: number;
  name: string;
  description: string;
  builtin: 0 | 1;
  member_count: number;
}

const rowToGroup = (r: GroupRow): GroupSummary => ({
  id: r.id,
  name: r.name,
  description: r.description,
  builtin: r.builtin === 1,
  memberCount: r.member_count,
});

const GROUP_SELECT = `SELECT g.id, g.name, g.description, g.builtin,
  (SELECT count(*) FROM memberships m WHERE m.group_id = g.id) AS member_count FROM groups g`;

export const ADMINISTRATORS = 'Administrators';

export async function listGroups(q: Queryable): Promise<GroupSummary[]> {
  return (await q.all<GroupRow>(`${GROUP_SELECT} ORDER BY g.builtin DESC, ${byName(q, 'g.name')}`)).map(rowToGroup);
}

export async function findGroup(q: Queryable, id: number): Promise<GroupSummary | undefined> {
  const row = await q.get<GroupRow>(`${GROUP_SELECT} WHERE g.id = ?`, [id]);
  return row && rowToGroup(row);
}

export async function findGroupByName(q: Queryable, name: string): Promise<GroupSummary | undefined> {
  const row = await q.get<GroupRow>(`${GROUP_SELECT} WHERE ${sameName(q, 'g.name')}`, [name]);
  return row && rowToGroup(row);
}

export async function findAdministratorsGroupId(q: Queryable): Promise<number> {
  return (await q.get<{ id: number }>(`SELECT id FROM groups WHERE builtin = 1 AND name = '${ADMINISTRATORS}'`))!.id;
}

export async function findGroupDetail(q: Queryable, id: number): Promise<GroupDetail | undefined> {
  const group = await findGroup(q, id);
  if (!group) return undefined;
  const appPermissions = (
    await q.all<{ permission: AppPermission }>(
      'SELECT permission FROM group_app_permissions WHERE group_id = ? ORDER BY permission',
      [id],
    )
  ).map((r) => r.permission);
  const rights = await q.all<{ resource: string; action: string }>(
    `SELECT r.name AS resource, gr.action FROM group_api_rights gr JOIN resources r ON r.id = gr.resource_id
     WHERE gr.group_id = ? ORDER BY r.name, gr.action`,
    [id],
  );
  const filters = await q.all<{ id: number; resource: string; name: string }>(
    `SELECT f.id, r.name AS resource, f.name FROM group_record_filters gf
     JOIN record_filters f ON f.id = gf.filter_id JOIN resources r ON r.id = f.resource_id
     WHERE gf.group_id = ? ORDER BY r.name, f.name`,
    [id],
  );
  const members = await q.all<{ id: number; name: string; kind: UserKind; status: UserStatus }>(
    `SELECT u.id, u.name, u.kind, u.status FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.group_id = ? ORDER BY ${byName(q, 'u.name')}`,
    [id],
  );
  return { ...group, appPermissions, rights, filters, members };
}

export async function insertGroup(q: Queryable, name: string, description: string, now: number): Promise<number> {
  const row = await q.get<{ id: number }>(
    'INSERT INTO groups (name, description, builtin, created_at, updated_at) VALUES (?, ?, 0, ?, ?) RETURNING id',
    [name, description, now, now],
  );
  return row!.id;
}

export async function updateGroupRow(q: Queryable, id: number, patch: { name?: string; description?: string }, now: number): Promise<void> {
  await q.run(
    `UPDATE groups SET name = coalesce(@name, name), description = coalesce(@description, description),
       updated_at = @now WHERE id = @id`,
    { id, now, name: patch.name ?? null, description: patch.description ?? null },
  );
}

export async function deleteGroupRow(q: Queryable, id: number): Promise<void> {
  await q.run('DELETE FROM groups WHERE id = ?', [id]);
}

export async function setGroupAppPermissions(q: Queryable, groupId: number, permissions: readonly AppPermission[]): Promise<void> {
  await q.run('DELETE FROM group_app_permissions WHERE group_id = ?', [groupId]);
  for (const p of new Set(permissions)) {
    await q.run('INSERT INTO group_app_permissions (group_id, permission) VALUES (?, ?)', [groupId, p]);
  }
}

/** Returns false when the right already existed. */
export async function insertGroupRight(q: Queryable, groupId: number, resourceId: number, action: string): Promise<boolean> {
  const result = await q.run('INSERT INTO group_api_rights (group_id, resource_id, action) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
    groupId,
    resourceId,
    action,
  ]);
  return result.changes > 0;
}

export async function deleteGroupRight(q: Queryable, groupId: number, resourceId: number, action: string): Promise<boolean> {
  const result = await q.run('DELETE FROM group_api_rights WHERE group_id = ? AND resource_id = ? AND action = ?', [
    groupId,
    resourceId,
    action,
  ]);
  return result.changes > 0;
}

export async function clearGroupRights(q: Queryable, groupId: number): Promise<void> {
  await q.run('DELETE FROM group_api_rights WHERE group_id = ?', [groupId]);
}

export async function setGroupFilters(q: Queryable, groupId: number, filterIds: readonly number[]): Promise<void> {
  await q.run('DELETE FROM group_record_filters WHERE group_id = ?', [groupId]);
  for (const f of filterIds) await q.run('INSERT INTO group_record_filters (group_id, filter_id) VALUES (?, ?)', [groupId, f]);
}

export async function insertMembership(q: Queryable, groupId: number, userId: number): Promise<boolean> {
  return (await q.run('INSERT INTO memberships (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [groupId, userId])).changes > 0;
}

export async function deleteMembership(q: Queryable, groupId: number, userId: number): Promise<boolean> {
  return (await q.run('DELETE FROM memberships WHERE group_id = ? AND user_id = ?', [groupId, userId])).changes > 0;
}

export async function groupIdsOfUser(q: Queryable, userId: number): Promise<number[]> {
  return (await q.all<{ group_id: number }>('SELECT group_id FROM memberships WHERE user_id = ?', [userId])).map((r) => r.group_id);
}

export async function existingGroupIds(q: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const rows = await q.all<{ id: number }>(`SELECT id FROM groups WHERE id IN ${idsIn(q)}`, [JSON.stringify(ids)]);
  return new Set(rows.map((r) => r.id));
}

/** Active, unexpired persons in the built-in Administrators group. */
export async function countActiveAdministrators(q: Queryable, now: number): Promise<number> {
  const row = await q.get<{ n: number }>(
    `SELECT count(*) AS n FROM memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id
     WHERE g.builtin = 1 AND g.name = '${ADMINISTRATORS}' AND u.kind = 'person' AND u.status = 'active'
       AND (u.expires_at IS NULL OR u.expires_at > ?)`,
    [now],
  );
  return row!.n;
}

export async function isActiveAdministrator(q: Queryable, userId: number): Promise<boolean> {
  const row = await q.get(
    `SELECT 1 AS one FROM memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id
     WHERE g.builtin = 1 AND g.name = '${ADMINISTRATORS}' AND u.id = ? AND u.status = 'active'`,
    [userId],
  );
  return row !== undefined;
}

/** The app permissions a person holds: the union over their groups. */
export async function appPermissionsOfUser(q: Queryable, userId: number): Promise<AppPermission[]> {
  const rows = await q.all<{ permission: AppPermission }>(
    `SELECT DISTINCT p.permission FROM memberships m JOIN group_app_permissions p ON p.group_id = m.group_id
     WHERE m.user_id = ? ORDER BY p.permission`,
    [userId],
  );
  return rows.map((r) => r.permission);
}

const RIGHTS_OF_USER = `SELECT DISTINCT r.name AS resource, gr.action FROM memberships m
  JOIN group_api_rights gr ON gr.group_id = m.group_id JOIN resources r ON r.id = gr.resource_id
  WHERE m.user_id = ?`;

const FILTERS_OF_USER = `SELECT DISTINCT r.name AS resource, f.name FROM memberships m
  JOIN group_record_filters gf ON gf.group_id = m.group_id JOIN record_filters f ON f.id = gf.filter_id
  JOIN resources r ON r.id = f.resource_id WHERE m.user_id = ?`;

/** The union of the user's groups' rights, and the filters that apply to them (the rule is combineRights). */
export async function effectiveRightsOfUser(q: Queryable, userId: number): Promise<EffectiveRightsParts> {
  const rights = await q.all<{ resource: string; action: string }>(RIGHTS_OF_USER, [userId]);
  const filters = await q.all<{ resource: string; name: string }>(FILTERS_OF_USER, [userId]);
  return combineRights(rights, filters);
}

