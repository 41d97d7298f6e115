import type { InputOf } from '../../shared/contract.js';

// No import from TanStack Query here: the module stays free of React, so the tests read it in Node.
type QueryKey = readonly unknown[];

/** The part of TanStack's QueryClient that a refresh uses. */
export interface QueryInvalidator {
  invalidateQueries(filters: { queryKey: QueryKey }): Promise<void>;
}

/** Which users a picker offers: people only, API users only, or both; sorted as main sorts them. */
export type UserOptionsScope = Pick<InputOf<'users.list'>, 'kind' | 'sort'>;

/**
 * Every query key of the renderer, in one place (TanStack Query's key factory): an area's keys all start
 * with its `all` key, so invalidating `all` refreshes every query under it. No hook writes a key by hand, and
 * a hook that reads another area's data uses that area's key, so the area's changes reach it.
 *
 * Adding a query: give it a key under the area whose changes must refresh it, then read STALE_AFTER below
 * and add a sample of the key to test/renderer/query-keys.test.ts (it does not compile without one).
 */
export const queryKeys = {
  auth: {
    all: ['auth'] as const,
    status: ['auth', 'status'] as const,
  },
  users: {
    all: ['users'] as const,
    list: (query: InputOf<'users.list'>) => ['users', 'list', query] as const,
    detail: (id: number) => ['users', 'detail', id] as const,
    rights: (id: number) => ['users', 'rights', id] as const,
    secrets: (id: number) => ['users', 'secrets', id] as const,
    clientKeys: (id: number) => ['users', 'clientKeys', id] as const,
    activity: (id: number) => ['users', 'activity', id] as const,
    /** The candidates of a picker that adds users to a list (a group's members, a mailbox's senders). */
    options: (scope: UserOptionsScope, search: string) => ['users', 'options', scope, search] as const,
    /** The Log filters' suggestions of people and API users for what was typed. */
    suggestions: (search: string) => ['users', 'suggestions', search] as const,
  },
  policy: {
    all: ['policy'] as const,
  },
  groups: {
    all: ['groups'] as const,
    list: () => ['groups', 'list'] as const,
    detail: (id: number) => ['groups', 'detail', id] as const,
    /** Every group's detail at once, for the rights catalogue; keyed by the ids it was read for. */
    details: (ids: readonly number[] | undefined) => ['groups', 'details', ids] as const,
  },
  mailboxes: {
    all: ['mailboxes'] as const,
    list: () => ['mailboxes', 'list'] as const,
  },
  /** The mail relay: settings and upstream per mailbox (null: the default), queue counts, the queue, the relay. */
  mail: {
    all: ['mail'] as const,
    settings: (mailboxId: number | null) => ['mail', 'settings', mailboxId] as const,
    stats: ['mail', 'stats'] as const,
    queue: (query: InputOf<'mail.queue'>) => ['mail', 'queue', query] as const,
    relay: ['mail', 'relay'] as const,
  },
  rights: {
    all: ['rights'] as const,
    catalogue: ['rights', 'catalogue'] as const,
  },
  log: {
    all: ['log'] as const,
    /** Every page of every filtered view of the log. */
    searches: ['log', 'search'] as const,
    search: (filters: Omit<InputOf<'log.search'>, 'before' | 'limit'>) => ['log', 'search', filters] as const,
    event: (id: number) => ['log', 'event', id] as const,
    exportJob: (jobId: string) => ['log', 'export', jobId] as const,
    /** Under the log's key: a prune changes the log, and the log's own refreshes then include the panel. */
    retention: ['log', 'retention'] as const,
  },
  overview: {
    all: ['overview'] as const,
    get: (input: InputOf<'overview.get'>) => ['overview', input] as const,
    apiUsers: (search: string) => ['overview', 'api-users', search] as const,
  },
  server: {
    all: ['server'] as const,
    status: ['server', 'status'] as const,
    /** Where an exported credential file would point: follows the server's settings and whether it runs. */
    credentialDestination: ['server', 'credential-destination'] as const,
    /** The Store card: the store in use and the choice for the next start (a server change refreshes it). */
    store: ['server', 'store'] as const,
  },
  /** Activations and the registrations made with them (API users → Activations, the Overview's pending list). */
  activations: {
    all: ['activations'] as const,
    list: () => ['activations', 'list'] as const,
    registrations: (filter: InputOf<'registrations.list'>) => ['activations', 'registrations', filter] as const,
    pending: ['activations', 'pending'] as const,
  },
  ranges: {
    all: ['ranges'] as const,
    status: ['ranges', 'status'] as const,
    progress: ['ranges', 'progress'] as const,
  },
};

/**
 * What each kind of change makes stale: the one answer to "what refreshes after this mutation". Each
 * mutation hook names its change; test/renderer/query-keys.test.ts spells out which queries each refreshes.
 */
const STALE_AFTER = {
  /** A user, its groups, mailboxes, allowlist or secrets: every view of users, pickers included. */
  user: [queryKeys.users.all],
  /** Groups give users their API rights and app permissions. */
  group: [queryKeys.groups.all, queryKeys.users.all],
  /** Mailboxes travel in API users' tokens; the mail relay's settings and counts are per mailbox. */
  mailbox: [queryKeys.mailboxes.all, queryKeys.users.all, queryKeys.mail.all],
  /** A mailbox's upstream or e-mail settings, a retried or dropped message, the relay's settings: all of mail. */
  mail: [queryKeys.mail.all],
  /** Taking an action or a filter out of the catalogue takes it from every group, and so from users' tokens. */
  catalogue: [queryKeys.rights.all, queryKeys.groups.all, queryKeys.users.all],
  /** The token server's settings, keys and certificate all show in its status. */
  server: [queryKeys.server.all],
  /** The server's status reports the provider ranges too, and the overview warns of missing or stale ones. */
  ranges: [queryKeys.ranges.all, queryKeys.server.all, queryKeys.overview.all],
  /**
   * An activation created or revoked, a registration approved or refused: the lists of both, and the users,
   * since a decision enables or disables the API user the registration made.
   */
  activation: [queryKeys.activations.all, queryKeys.users.all],
  /** An action that is logged itself (verifying the chain, a new retention period): a new event tops the log. */
  loggedAction: [queryKeys.log.searches],
  /** A prune removes events: everything read from the log changes, the overview's counts too. */
  prune: [queryKeys.log.all, queryKeys.overview.all],
} satisfies Record<string, readonly QueryKey[]>;

export type Change = keyof typeof STALE_AFTER;

/** Marks what `change` made stale; the queries on screen refetch at once, the others when next shown. */
export const refreshAfter = (client: QueryInvalidator, change: Change): Promise<unknown> =>
  Promise.all(STALE_AFTER[change].map((queryKey) => client.invalidateQueries({ queryKey })));
