import type { ResourceInfo } from '../../../shared/dto.js';

/** One API right: appears in tokens as the scope `resource:action`. */
export interface ApiRight {
  resource: string;
  action: string;
}

export const scopeOf = (r: ApiRight): string => `${r.resource}:${r.action}`;

export function hasRight(rights: readonly ApiRight[], resource: string, action: string): boolean {
  return rights.some((r) => r.resource === resource && r.action === action);
}

/** The rights with one cell of the matrix turned on or off; order follows the catalogue when sorted. */
export function setRight(rights: readonly ApiRight[], resource: string, action: string, on: boolean): ApiRight[] {
  const without = rights.filter((r) => !(r.resource === resource && r.action === action));
  return on ? [...without, { resource, action }] : without;
}

/** A whole row of the matrix on or off (the "all actions" checkbox). */
export function setResourceRow(rights: readonly ApiRight[], resource: ResourceInfo, on: boolean): ApiRight[] {
  const others = rights.filter((r) => r.resource !== resource.name);
  return on ? [...others, ...resource.actions.map((action) => ({ resource: resource.name, action }))] : others;
}

/** 'all' | 'some' | 'none' of a resource's actions granted: drives the row checkbox's indeterminate state. */
export function rowState(rights: readonly ApiRight[], resource: ResourceInfo): 'all' | 'some' | 'none' {
  const granted = resource.actions.filter((a) => hasRight(rights, resource.name, a)).length;
  if (granted === 0) return 'none';
  return granted === resource.actions.length ? 'all' : 'some';
}

/** The everyday actions, always leftmost and in this order, so a row reads the same in every group. */
const LEADING_ACTIONS = ['read', 'write', 'delete'];

/**
 * Every distinct action across the catalogue, once: the matrix's columns. read, write and delete come
 * first (those the catalogue has), then the others in first-seen order (introspect of the built-in
 * keyrack resource, send, …).
 */
export function matrixColumns(resources: readonly ResourceInfo[]): string[] {
  const seen = new Set<string>();
  for (const r of resources) for (const a of r.actions) seen.add(a);
  const leading = LEADING_ACTIONS.filter((action) => seen.has(action));
  return [...leading, ...[...seen].filter((action) => !LEADING_ACTIONS.includes(action))];
}

/** Scopes the group will grant, sorted, for the live preview. */
export function scopesOf(rights: readonly ApiRight[]): string[] {
  return [...new Set(rights.map(scopeOf))].sort();
}

/** Resources shown together: endpoint-style ones under their first segment, a plain one on its own. */
export interface ResourceSection {
  /** The first segment (`orders` for orders/import) when a section holds endpoint-style names; null otherwise. */
  prefix: string | null;
  resources: ResourceInfo[];
}

/**
 * Groups endpoint-style resources (orders/import, orders/export) by their first segment, with a plain
 * resource of that same name (orders) at the head of its section; a plain resource with no endpoints
 * stands alone. Sections follow the catalogue's order of first appearance, and so do resources in them.
 */
export function resourceSections(resources: readonly ResourceInfo[]): ResourceSection[] {
  const byFirst = new Map<string, ResourceInfo[]>();
  for (const r of resources) {
    const first = r.name.split('/')[0]!;
    byFirst.set(first, [...(byFirst.get(first) ?? []), r]);
  }
  return [...byFirst].map(([first, members]) => ({
    prefix: members.some((r) => r.name.includes('/')) ? first : null,
    resources: [...members].sort((a, b) => Number(a.name.includes('/')) - Number(b.name.includes('/'))),
  }));
}
