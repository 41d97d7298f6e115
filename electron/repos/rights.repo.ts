import type { Queryable } from '../db/store.js';
import { idsIn, textsIn } from './dialect.js';
import type { ResourceInfo } from '../../shared/dto.js';

/** The rights catalogue: resources, their actions and their record filters. */

interface ResourceRow {
  id: number;
  name: string;
  description: string;
  builtin: 0 | 1;
}

export async function listResources(q: Queryable): Promise<ResourceInfo[]> {
  const rows = await q.all<ResourceRow>('SELECT * FROM resources ORDER BY builtin DESC, name');
  const infos: ResourceInfo[] = [];
  for (const row of rows) infos.push(await toInfo(q, row));
  return infos;
}

export async function findResource(q: Queryable, id: number): Promise<ResourceInfo | undefined> {
  const row = await q.get<ResourceRow>('SELECT * FROM resources WHERE id = ?', [id]);
  return row && toInfo(q, row);
}

export async function findResourceByName(q: Queryable, name: string): Promise<ResourceInfo | undefined> {
  const row = await q.get<ResourceRow>(RESOURCE_BY_NAME_SQL, [name]);
  return row && toInfo(q, row);
}

const RESOURCE_BY_NAME_SQL = 'SELECT * FROM resources WHERE name = ?';
const ACTIONS_SQL = 'SELECT action FROM resource_actions WHERE resource_id = ? ORDER BY action';
const FILTERS_SQL = 'SELECT id, name, description FROM record_filters WHERE resource_id = ? ORDER BY name';
type FilterRow = { id: number; name: string; description: string };

async function toInfo(q: Queryable, r: ResourceRow): Promise<ResourceInfo> {
  const actions = await q.all<{ action: string }>(ACTIONS_SQL, [r.id]);
  return infoFrom(r, actions, await q.all<FilterRow>(FILTERS_SQL, [r.id]));
}

/** The one row mapper. */
function infoFrom(r: ResourceRow, actions: readonly { action: string }[], filters: FilterRow[]): ResourceInfo {
  return { id: r.id, name: r.name, description: r.description, builtin: r.builtin === 1, actions: actions.map((a) => a.action), filters };
}

export async function insertResource(q: Queryable, name: string, description: string): Promise<number> {
  return (await q.get<{ id: number }>('INSERT INTO resources (name, description) VALUES (?, ?) RETURNING id', [name, description]))!.id;
}

export async function updateResourceDescription(q: Queryable, id: number, description: string): Promise<void> {
  await q.run('UPDATE resources SET description = ? WHERE id = ?', [description, id]);
}

export async function deleteResource(q: Queryable, id: number): Promise<void> {
  await q.run('DELETE FROM resources WHERE id = ?', [id]);
}

/** Makes the resource's actions exactly `actions`; rights on removed actions go with them (FK cascade). */
export async function setResourceActions(q: Queryable, resourceId: number, actions: readonly string[]): Promise<void> {
  await q.run(`DELETE FROM resource_actions WHERE resource_id = ? AND action NOT IN ${textsIn(q)}`, [
    resourceId,
    JSON.stringify(actions),
  ]);
  for (const a of actions) await q.run('INSERT INTO resource_actions (resource_id, action) VALUES (?, ?) ON CONFLICT DO NOTHING', [resourceId, a]);
}

/** Makes the resource's filters exactly `filters`, keeping the ids (and group grants) of those that stay. */
export async function setResourceFilters(
  q: Queryable,
  resourceId: number,
  filters: readonly { name: string; description: string }[],
): Promise<void> {
  await q.run(`DELETE FROM record_filters WHERE resource_id = ? AND name NOT IN ${textsIn(q)}`, [
    resourceId,
    JSON.stringify(filters.map((f) => f.name)),
  ]);
  for (const f of filters) {
    await q.run(
      `INSERT INTO record_filters (resource_id, name, description) VALUES (?, ?, ?)
       ON CONFLICT (resource_id, name) DO UPDATE SET description = excluded.description`,
      [resourceId, f.name, f.description],
    );
  }
}

export async function existingFilterIds(q: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const rows = await q.all<{ id: number }>(`SELECT id FROM record_filters WHERE id IN ${idsIn(q)}`, [JSON.stringify(ids)]);
  return new Set(rows.map((r) => r.id));
}
