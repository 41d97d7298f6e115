import type { ResourceInfo } from '../../../shared/dto.js';
/** One API right: appears in tokens as the scope `resource:action`. */
export interface ApiRight {
    resource: string;
    action: string;
}
export declare const scopeOf: (r: ApiRight) => string;
export declare function hasRight(rights: readonly ApiRight[], resource: string, action: string): boolean;
/** The rights with one cell of the matrix turned on or off; order follows the catalogue when sorted. */
export declare function setRight(rights: readonly ApiRight[], resource: string, action: string, on: boolean): ApiRight[];
/** A whole row of the matrix on or off (the "all actions" checkbox). */
export declare function setResourceRow(rights: readonly ApiRight[], resource: ResourceInfo, on: boolean): ApiRight[];
/** 'all' | 'some' | 'none' of a resource's actions granted: drives the row checkbox's indeterminate state. */
export declare function rowState(rights: readonly ApiRight[], resource: ResourceInfo): 'all' | 'some' | 'none';
/** Every distinct action across the catalogue, once: read, write, delete first, then the others in first-seen order. */
export declare function matrixColumns(resources: readonly ResourceInfo[]): string[];
/** Scopes the group will grant, sorted, for the live preview. */
export declare function scopesOf(rights: readonly ApiRight[]): string[];
/** Resources shown together: endpoint-style ones under their first segment, a plain one on its own. */
export interface ResourceSection {
    prefix: string | null;
    resources: ResourceInfo[];
}
/** Endpoint-style resources grouped by first segment (a plain resource of that name heads its section). */
export declare function resourceSections(resources: readonly ResourceInfo[]): ResourceSection[];
