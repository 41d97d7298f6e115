// The React-free engine that @tanstack/react-query re-exports: the test project has no DOM or React types.
import { hashKey, QueryClient, type QueryKey } from '@tanstack/query-core';
import { describe, expect, test } from 'vitest';
import { queryKeys, refreshAfter, type Change } from '../../renderer/lib/query-keys.js';

type Keys = typeof queryKeys;
type Area = keyof Keys;

/**
 * A key of every kind the renderer has, by its name in renderer/lib/query-keys.ts. The type asks for one of
 * each, so a key added there does not compile here until it has a sample, and so is checked below.
 */
const SAMPLES: { [A in Area]: Record<keyof Keys[A], QueryKey> } = {
  auth: { all: queryKeys.auth.all, status: queryKeys.auth.status },
  users: {
    all: queryKeys.users.all,
    list: queryKeys.users.list({ search: 'crm', kind: 'api' }),
    detail: queryKeys.users.detail(7),
    rights: queryKeys.users.rights(7),
    secrets: queryKeys.users.secrets(7),
    clientKeys: queryKeys.users.clientKeys(7),
    activity: queryKeys.users.activity(7),
    options: queryKeys.users.options({ kind: 'person' }, 'bo'),
    suggestions: queryKeys.users.suggestions('crm'),
  },
  policy: { all: queryKeys.policy.all },
  groups: {
    all: queryKeys.groups.all,
    list: queryKeys.groups.list(),
    detail: queryKeys.groups.detail(3),
    details: queryKeys.groups.details([3, 4]),
  },
  mailboxes: { all: queryKeys.mailboxes.all, list: queryKeys.mailboxes.list() },
  mail: {
    all: queryKeys.mail.all,
    settings: queryKeys.mail.settings(3),
    stats: queryKeys.mail.stats,
    queue: queryKeys.mail.queue({ mailboxId: 3 }),
    relay: queryKeys.mail.relay,
  },
  rights: { all: queryKeys.rights.all, catalogue: queryKeys.rights.catalogue },
  log: {
    all: queryKeys.log.all,
    searches: queryKeys.log.searches,
    search: queryKeys.log.search({ actor: 'alice' }),
    event: queryKeys.log.event(42),
    exportJob: queryKeys.log.exportJob('job-1'),
    retention: queryKeys.log.retention,
  },
  overview: {
    all: queryKeys.overview.all,
    get: queryKeys.overview.get({ range: '7d' }),
    apiUsers: queryKeys.overview.apiUsers('crm'),
  },
  server: { all: queryKeys.server.all, status: queryKeys.server.status, credentialDestination: queryKeys.server.credentialDestination, store: queryKeys.server.store },
  activations: {
    all: queryKeys.activations.all,
    list: queryKeys.activations.list(),
    registrations: queryKeys.activations.registrations({ activationId: 2 }),
    pending: queryKeys.activations.pending,
  },
  ranges: { all: queryKeys.ranges.all, status: queryKeys.ranges.status, progress: queryKeys.ranges.progress },
};

const named = (Object.keys(SAMPLES) as Area[]).flatMap((area) =>
  Object.entries<QueryKey>(SAMPLES[area]).map(([key, queryKey]) => ({ name: `${area}.${key}`, queryKey })),
);

/** Every sample of an area, by name: "users.detail", … */
const everyKeyOf = (...areas: Area[]): string[] => named.filter((s) => areas.some((a) => s.name.startsWith(`${a}.`))).map((s) => s.name);

/** The samples a change marks stale, in a cache that holds all of them. */
async function refreshedBy(change: Change): Promise<string[]> {
  const client = new QueryClient();
  for (const { queryKey } of named) client.setQueryData(queryKey, 'cached');
  await refreshAfter(client, change);
  const nameOf = new Map(named.map((s) => [hashKey(s.queryKey), s.name]));
  return client
    .getQueryCache()
    .findAll()
    .filter((q) => q.state.isInvalidated)
    .map((q) => nameOf.get(q.queryHash)!);
}

/** What each mutation's change must refresh: a dropped invalidation, or a key filed under the wrong area, fails here. */
const EXPECTED: Record<Change, string[]> = {
  user: everyKeyOf('users'),
  group: everyKeyOf('groups', 'users'),
  mailbox: everyKeyOf('mailboxes', 'users', 'mail'),
  mail: everyKeyOf('mail'),
  catalogue: everyKeyOf('rights', 'groups', 'users'),
  server: everyKeyOf('server'),
  ranges: everyKeyOf('ranges', 'server', 'overview'),
  activation: everyKeyOf('activations', 'users'),
  loggedAction: ['log.searches', 'log.search'],
  prune: everyKeyOf('log', 'overview'),
};

describe('what refreshes after each change', () => {
  test.each(Object.entries(EXPECTED))('after a %s change', async (change, expected) => {
    expect((await refreshedBy(change as Change)).sort()).toEqual([...expected].sort());
  });

  test('the keys are distinct, so two queries never share a cache entry by accident', () => {
    expect(new Set(named.map((s) => hashKey(s.queryKey))).size).toBe(named.length);
  });

  test('an area keeps to its own first word, which is what its refreshes match on', () => {
    for (const { name, queryKey } of named) expect(queryKey[0], name).toBe(name.split('.')[0]);
  });
});
