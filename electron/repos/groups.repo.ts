import type { Db } from '../db/open.js';
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

export function listGroups(db: Db): GroupSummary[] {
  return db.prepare<[], GroupRow>(`${GROUP_SELECT} ORDER BY g.builtin DESC, g.name COLLATE NOCASE`).all().map(rowToGroup);
}

export function findGroup(db: Db, id: number): GroupSummary | undefined {
  const row = db.prepare<[number], GroupRow>(`${GROUP_SELECT} WHERE g.id = ?`).get(id);
  return row && rowToGroup(row);
}

export function findGroupByName(db: Db, name: string): GroupSummary | undefined {
  const row = db.prepare<[string], GroupRow>(`${GROUP_SELECT} WHERE g.name = ?`).get(name);
  return row && rowToGroup(row);
}

export function findAdministratorsGroupId(db: Db): number {
  return db.prepare<[], { id: number }>(`SELECT id FROM groups WHERE builtin = 1 AND name = '${ADMINISTRATORS}'`).get()!
    .id;
}

export function findGroupDetail(db: Db, id: number): GroupDetail | undefined {
  const group = findGroup(db, id);
  if (!group) return undefined;
  const appPermissions = db
    .prepare<[number], { permission: AppPermission }>(
      'SELECT permission FROM group_app_permissions WHERE group_id = ? ORDER BY permission',
    )
    .all(id)
    .map((r) => r.permission);
  const rights = db
    .prepare<[number], { resource: string; action: string }>(
      `SELECT r.name AS resource, gr.action FROM group_api_rights gr JOIN resources r ON r.id = gr.resource_id
       WHERE gr.group_id = ? ORDER BY r.name, gr.action`,
    )
    .all(id);
  const filters = db
    .prepare<[number], { id: number; resource: string; name: string }>(
      `SELECT f.id, r.name AS resource, f.name FROM group_record_filters gf
       JOIN record_filters f ON f.id = gf.filter_id JOIN resources r ON r.id = f.resource_id
       WHERE gf.group_id = ? ORDER BY r.name, f.name`,
    )
    .all(id);
  const members = db
    .prepare<[number], { id: number; name: string; kind: UserKind; status: UserStatus }>(
      `SELECT u.id, u.name, u.kind, u.status FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.group_id = ? ORDER BY u.name COLLATE NOCASE`,
    )
    .all(id);
  return { ...group, appPermissions, rights, filters, members };
}

export function insertGroup(db: Db, name: string, description: string, now: number): number {
  return Number(
    db
      .prepare('INSERT INTO groups (name, description, builtin, created_at, updated_at) VALUES (?, ?, 0, ?, ?)')
      .run(name, description, now, now).lastInsertRowid,
  );
}

export function updateGroupRow(db: Db, id: number, patch: { name?: string; description?: string }, now: number): void {
  db.prepare(
    `UPDATE groups SET name = coalesce(@name, name), description = coalesce(@description, description),
       updated_at = @now WHERE id = @id`,
  ).run({ id, now, name: patch.name ?? null, description: patch.description ?? null });
}

export function deleteGroupRow(db: Db, id: number): void {
  db.prepare('DELETE FROM groups WHERE id = ?').run(id);
}

export function setGroupAppPermissions(db: Db, groupId: number, permissions: readonly AppPermission[]): void {
  db.prepare('DELETE FROM group_app_permissions WHERE group_id = ?').run(groupId);
  const insert = db.prepare('INSERT INTO group_app_permissions (group_id, permission) VALUES (?, ?)');
  for (const p of new Set(permissions)) insert.run(groupId, p);
}

/** Returns false when the right already existed. */
export function insertGroupRight(db: Db, groupId: number, resourceId: number, action: string): boolean {
  return (
    db
      .prepare('INSERT OR IGNORE INTO group_api_rights (group_id, resource_id, action) VALUES (?, ?, ?)')
      .run(groupId, resourceId, action).changes > 0
  );
}

export function deleteGroupRight(db: Db, groupId: number, resourceId: number, action: string): boolean {
  return (
    db
      .prepare('DELETE FROM group_api_rights WHERE group_id = ? AND resource_id = ? AND action = ?')
      .run(groupId, resourceId, action).changes > 0
  );
}

export function clearGroupRights(db: Db, groupId: number): void {
  db.prepare('DELETE FROM group_api_rights WHERE group_id = ?').run(groupId);
}

export function setGroupFilters(db: Db, groupId: number, filterIds: readonly number[]): void {
  db.prepare('DELETE FROM group_record_filters WHERE group_id = ?').run(groupId);
  const insert = db.prepare('INSERT INTO group_record_filters (group_id, filter_id) VALUES (?, ?)');
  for (const f of filterIds) insert.run(groupId, f);
}

export function insertMembership(db: Db, groupId: number, userId: number): boolean {
  return (
    db.prepare('INSERT OR IGNORE INTO memberships (group_id, user_id) VALUES (?, ?)').run(groupId, userId).changes > 0
  );
}

export function deleteMembership(db: Db, groupId: number, userId: number): boolean {
  return db.prepare('DELETE FROM memberships WHERE group_id = ? AND user_id = ?').run(groupId, userId).changes > 0;
}

export function groupIdsOfUser(db: Db, userId: number): number[] {
  return db
    .prepare<[number], { group_id: number }>('SELECT group_id FROM memberships WHERE user_id = ?')
    .all(userId)
    .map((r) => r.group_id);
}

export function existingGroupIds(db: Db, ids: readonly number[]): Set<number> {
  return new Set(
    db
      .prepare<[string], { id: number }>('SELECT id FROM groups WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids))
      .map((r) => r.id),
  );
}

/** Active, unexpired persons in the built-in Administrators group. */
export function countActiveAdministrators(db: Db, now: number): number {
  return db
    .prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id
       WHERE g.builtin = 1 AND g.name = '${ADMINISTRATORS}' AND u.kind = 'person' AND u.status = 'active'
         AND (u.expires_at IS NULL OR u.expires_at > ?)`,
    )
    .get(now)!.n;
}

export function isActiveAdministrator(db: Db, userId: number): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id
         WHERE g.builtin = 1 AND g.name = '${ADMINISTRATORS}' AND u.id = ? AND u.status = 'active'`,
      )
      .get(userId) !== undefined
  );
}

/** The app permissions a person holds: the union over their groups. */
export function appPermissionsOfUser(db: Db, userId: number): AppPermission[] {
  return db
    .prepare<[number], { permission: AppPermission }>(
      `SELECT DISTINCT p.permission FROM memberships m JOIN group_app_permissions p ON p.group_id = m.group_id
       WHERE m.user_id = ? ORDER BY p.permission`,
    )
    .all(userId)
    .map((r) => r.permission);
}

/** The API rights an API user holds: `resource:action` and filters, the union over its groups. */
/** The union of the user's groups' rights, and the filters that apply to them (the rule is combineRights). */
export function effectiveRightsOfUser(db: Db, userId: number): EffectiveRightsParts {
  const rights = db
    .prepare<[number], { resource: string; action: string }>(
      `SELECT DISTINCT r.name AS resource, gr.action FROM memberships m
       JOIN group_api_rights gr ON gr.group_id = m.group_id JOIN resources r ON r.id = gr.resource_id
       WHERE m.user_id = ?`,
    )
    .all(userId);
  const filters = db
    .prepare<[number], { resource: string; name: string }>(
      `SELECT DISTINCT r.name AS resource, f.name FROM memberships m
       JOIN group_record_filters gf ON gf.group_id = m.group_id JOIN record_filters f ON f.id = gf.filter_id
       JOIN resources r ON r.id = f.resource_id WHERE m.user_id = ?`,
    )
    .all(userId);
  return combineRights(rights, filters);
}
