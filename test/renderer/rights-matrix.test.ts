import { expect, test } from 'vitest';
import type { GroupDetail, ResourceInfo } from '../../shared/dto.js';
import {
  hasRight,
  matrixColumns,
  resourceSections,
  rowState,
  scopesOf,
  setResourceRow,
  setRight,
} from '../../renderer/features/groups/rights-matrix.js';
import { groupsUsingResource, isHarmless, removalImpact } from '../../renderer/features/rights/removal-impact.js';

const resource = (id: number, name: string, actions: string[], filters: string[] = []): ResourceInfo => ({
  id,
  name,
  description: '',
  builtin: false,
  actions,
  filters: filters.map((f, i) => ({ id: id * 10 + i, name: f, description: '' })),
});

const addresses = resource(1, 'addresses', ['read', 'write', 'delete'], ['published_only', 'own_only']);
const mail = resource(2, 'mail', ['send', 'read']);

const group = (name: string, rights: string[], filterIds: number[] = []): GroupDetail => ({
  id: name.length,
  name,
  description: '',
  builtin: false,
  memberCount: 0,
  appPermissions: [],
  rights: rights.map((s) => {
    const [r, a] = s.split(':');
    return { resource: r!, action: a! };
  }),
  filters: filterIds.map((id) => ({ id, resource: id < 20 ? 'addresses' : 'mail', name: `f${id}` })),
  members: [],
});

test('cells and rows of the matrix turn on and off without duplicates', () => {
  let rights = setRight([], 'addresses', 'read', true);
  rights = setRight(rights, 'addresses', 'read', true);
  expect(rights).toEqual([{ resource: 'addresses', action: 'read' }]);
  expect(rowState(rights, addresses)).toBe('some');

  rights = setResourceRow(rights, addresses, true);
  expect(rowState(rights, addresses)).toBe('all');
  expect(scopesOf(rights)).toEqual(['addresses:delete', 'addresses:read', 'addresses:write']);

  rights = setRight(setRight(rights, 'mail', 'send', true), 'addresses', 'write', false);
  expect(hasRight(rights, 'addresses', 'write')).toBe(false);
  expect(hasRight(rights, 'mail', 'send')).toBe(true);

  rights = setResourceRow(rights, addresses, false);
  expect(rowState(rights, addresses)).toBe('none');
  expect(scopesOf(rights)).toEqual(['mail:send']);
});

test('the matrix columns are every action of the catalogue once', () => {
  expect(matrixColumns([addresses, mail])).toEqual(['read', 'write', 'delete', 'send']);
});

test('read, write and delete lead the columns whatever order the catalogue lists them in; the rest follow as first seen', () => {
  const keyrack = resource(3, 'keyrack', ['introspect']);
  const sortedAddresses = resource(1, 'addresses', ['delete', 'read', 'write']);
  expect(matrixColumns([keyrack, sortedAddresses])).toEqual(['read', 'write', 'delete', 'introspect']);
  expect(matrixColumns([keyrack, mail, resource(4, 'files', ['write', 'export'])])).toEqual(['read', 'write', 'introspect', 'send', 'export']);
  expect(matrixColumns([keyrack])).toEqual(['introspect']);
  expect(matrixColumns([])).toEqual([]);
});

test('removing actions and filters names the groups that lose them', () => {
  const groups = [
    group('Website', ['addresses:read', 'addresses:write'], [10]),
    group('Mailers', ['mail:send']),
    group('Cleaners', ['addresses:delete'], [11]),
  ];
  const impact = removalImpact(addresses, { actions: ['read'], filters: [{ name: 'own_only' }] }, groups);
  expect(impact.actions).toEqual([
    { action: 'write', groups: ['Website'] },
    { action: 'delete', groups: ['Cleaners'] },
  ]);
  expect(impact.filters).toEqual([{ filter: 'published_only', groups: ['Website'] }]);
  expect(isHarmless(impact)).toBe(false);

  expect(isHarmless(removalImpact(addresses, { actions: [...addresses.actions, 'export'], filters: addresses.filters }, groups))).toBe(true);
  expect(groupsUsingResource(addresses, groups)).toEqual(['Website', 'Cleaners']);
  expect(groupsUsingResource(mail, groups)).toEqual(['Mailers']);
});

test('endpoint-style resources are grouped by their first segment; plain ones stand alone', () => {
  const r = (id: number, name: string): ResourceInfo => ({ id, name, description: '', builtin: false, actions: ['read'], filters: [] });
  const sections = resourceSections([r(1, 'orders/import'), r(2, 'addresses'), r(3, 'orders'), r(4, 'orders/export'), r(5, 'crm/contacts/sync')]);
  expect(sections.map((s) => [s.prefix, s.resources.map((x) => x.name)])).toEqual([
    ['orders', ['orders', 'orders/import', 'orders/export']],
    [null, ['addresses']],
    ['crm', ['crm/contacts/sync']],
  ]);
});
