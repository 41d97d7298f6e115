import type { GroupDetail, ResourceInfo } from '../../../shared/dto.js';

export interface RemovalImpact {
  /** Actions taken out of the resource, each with the groups that hold it now and will lose it. */
  actions: { action: string; groups: string[] }[];
  /** Record filters taken out of the resource, each with the groups that use it now. */
  filters: { filter: string; groups: string[] }[];
}

/**
 * What an edit of a resource takes away from groups: removing an action or a filter from the catalogue
 * also removes it from every group that had it (electron/services/rights.service.ts updateResource).
 */
export function removalImpact(
  before: ResourceInfo,
  after: { actions: readonly string[]; filters: readonly { name: string }[] },
  groups: readonly GroupDetail[],
): RemovalImpact {
  const keptActions = new Set(after.actions);
  const keptFilters = new Set(after.filters.map((f) => f.name));
  return {
    actions: before.actions
      .filter((a) => !keptActions.has(a))
      .map((action) => ({
        action,
        groups: groups
          .filter((g) => g.rights.some((r) => r.resource === before.name && r.action === action))
          .map((g) => g.name),
      })),
    filters: before.filters
      .filter((f) => !keptFilters.has(f.name))
      .map((f) => ({
        filter: f.name,
        groups: groups.filter((g) => g.filters.some((gf) => gf.id === f.id)).map((g) => g.name),
      })),
  };
}

/** The groups that hold any right or filter of the resource: what removing the resource takes from. */
export function groupsUsingResource(resource: ResourceInfo, groups: readonly GroupDetail[]): string[] {
  return groups
    .filter((g) => g.rights.some((r) => r.resource === resource.name) || g.filters.some((f) => f.resource === resource.name))
    .map((g) => g.name);
}

/** Nothing is lost by the edit. */
export const isHarmless = (impact: RemovalImpact): boolean => impact.actions.length === 0 && impact.filters.length === 0;
