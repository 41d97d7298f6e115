import { describe, expect, test } from 'vitest';
import { combineRights } from '../../shared/rights.js';

describe('combineRights (tokens, users.effectiveRights and the new-API-user preview)', () => {
  test('scopes are the sorted union; filters only for resources with a right, each name once', () => {
    expect(
      combineRights(
        [
          { resource: 'properties', action: 'read' },
          { resource: 'mail', action: 'send' },
          { resource: 'properties', action: 'read' },
        ],
        [
          { resource: 'properties', name: 'published_only' },
          { resource: 'addresses', name: 'published_only' },
          { resource: 'properties', name: 'own_only' },
          { resource: 'properties', name: 'published_only' },
        ],
      ),
    ).toEqual({ scopes: ['mail:send', 'properties:read'], filters: { properties: ['own_only', 'published_only'] } });
  });

  test('no rights: no scopes and no filters, whatever the groups set', () => {
    expect(combineRights([], [{ resource: 'addresses', name: 'published_only' }])).toEqual({ scopes: [], filters: {} });
  });
});
