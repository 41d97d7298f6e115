import type { Db } from '../db/open.js';
import type { ResourceInfo } from '../../shared/dto.js';

/** The rights catalogue: resources, their actions and their record filters. */

interface ResourceRow {
  id: number;
  name: string;
  description: string;
  builtin: 0 | 1;
}

export function listResources(db: Db): ResourceInfo[] {
  const resources = db.prepare<[], ResourceRow>('SELECT * FROM resources ORDER BY builtin DESC, name').all();
  return resources.map((r) => toInfo(db, r));
}

export function findResource(db: Db, id: number): ResourceInfo | undefined {
  const row = db.prepare<[number], ResourceRow>('SELECT * FROM resources WHERE id = ?').get(id);
  return row && toInfo(db, row);
}

export function findResourceByName(db: Db, name: string): ResourceInfo | undefined {
  const row = db.prepare<[string], ResourceRow>('SELECT * FROM resources WHERE name = ?').get(name);
  return row && toInfo(db, row);
}

function toInfo(db: Db, r: ResourceRow): ResourceInfo {
  const actions = db
    .prepare<[number], { action: string }>('SELECT action FROM resource_actions WHERE resource_id = ? ORDER BY action')
    .all(r.id)
    .map((a) => a.action);
  const filters = db
    .prepare<[number], { id: number; name: string; description: string }>(
      'SELECT id, name, description FROM record_filters WHERE resource_id = ? ORDER BY name',
    )
    .all(r.id);
  return { id: r.id, name: r.name, description: r.description, builtin: r.builtin === 1, actions, filters };
}

export function insertResource(db: Db, name: string, description: string): number {
  return Number(db.prepare('INSERT INTO resources (name, description) VALUES (?, ?)').run(name, description).lastInsertRowid);
}

export function updateResourceDescription(db: Db, id: number, description: string): void {
  db.prepare('UPDATE resources SET description = ? WHERE id = ?').run(description, id);
}

export function deleteResource(db: Db, id: number): void {
  db.prepare('DELETE FROM resources WHERE id = ?').run(id);
}

/** Makes the resource's actions exactly `actions`; rights on removed actions go with them (FK cascade). */
export function setResourceActions(db: Db, resourceId: number, actions: readonly string[]): void {
  db.prepare('DELETE FROM resource_actions WHERE resource_id = ? AND action NOT IN (SELECT value FROM json_each(?))').run(
    resourceId,
    JSON.stringify(actions),
  );
  const insert = db.prepare('INSERT OR IGNORE INTO resource_actions (resource_id, action) VALUES (?, ?)');
  for (const a of actions) insert.run(resourceId, a);
}

/** Makes the resource's filters exactly `filters`, keeping the ids (and group grants) of those that stay. */
export function setResourceFilters(
  db: Db,
  resourceId: number,
  filters: readonly { name: string; description: string }[],
): void {
  db.prepare('DELETE FROM record_filters WHERE resource_id = ? AND name NOT IN (SELECT value FROM json_each(?))').run(
    resourceId,
    JSON.stringify(filters.map((f) => f.name)),
  );
  const upsert = db.prepare(
    `INSERT INTO record_filters (resource_id, name, description) VALUES (?, ?, ?)
     ON CONFLICT (resource_id, name) DO UPDATE SET description = excluded.description`,
  );
  for (const f of filters) upsert.run(resourceId, f.name, f.description);
}

export function existingFilterIds(db: Db, ids: readonly number[]): Set<number> {
  return new Set(
    db
      .prepare<[string], { id: number }>('SELECT id FROM record_filters WHERE id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids))
      .map((r) => r.id),
  );
}
