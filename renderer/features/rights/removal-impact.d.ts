import type { GroupDetail, ResourceInfo } from '../../../shared/dto.js';
export interface RemovalImpact {
    /** Actions taken out of the resource, each with the groups that hold it now and will lose it. */
    actions: {
        action: string;
        groups: string[];
    }[];
    /** Record filters taken out of the resource, each with the groups that use it now. */
    filters: {
        filter: string;
        groups: string[];
    }[];
}
/**
 * What an edit of a resource takes away from groups: removing an action or a filter from the catalogue
 * also removes it from every group that had it (electron/services/rights.service.ts updateResource).
 */
export declare function removalImpact(before: ResourceInfo, after: {
    actions: readonly string[];
    filters: readonly {
        name: string;
    }[];
}, groups: readonly GroupDetail[]): RemovalImpact;
/** The groups that hold any right or filter of the resource: what removing the resource takes from. */
export declare function groupsUsingResource(resource: ResourceInfo, groups: readonly GroupDetail[]): string[];
/** Nothing is lost by the edit. */
export declare const isHarmless: (impact: RemovalImpact) => boolean;
