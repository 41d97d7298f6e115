import type { ComponentType, ReactNode } from 'react';
import type { QueryClient } from '@tanstack/react-query';
import { IconMail, IconShieldCheck, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { AppPermission } from '../../shared/domain.js';
import { lazyPage } from './lazy-page.js';
import { matchPath, type RouteParams } from './router.js';
import { logRoutes } from '../features/log/routes.js';
import { overviewRoutes } from '../features/overview/routes.js';
import { serverRoutes } from '../features/server/routes.js';
import type { en } from '../i18n/en/index.js';

/** A page's name: a key of the app catalogue's `routes`, shown in the window title and the navbar. */
export type RouteName = keyof typeof en.app.routes;

// Every page but the home (the overview, the first screen) is a chunk of its own: see lazy-page.ts.
const UsersPage = lazyPage(() => import('../features/users/UsersPage.js').then((m) => m.UsersPage));
const CreateApiUserPage = lazyPage(() => import('../features/users/CreateApiUserPage.js').then((m) => m.CreateApiUserPage));
const CreatePersonPage = lazyPage(() => import('../features/users/CreatePersonPage.js').then((m) => m.CreatePersonPage));
const UserDetailPage = lazyPage(() => import('../features/users/UserDetailPage.js').then((m) => m.UserDetailPage));
const ActivationsPage = lazyPage(() => import('../features/activations/ActivationsPage.js').then((m) => m.ActivationsPage));
const GroupsPage = lazyPage(() => import('../features/groups/GroupsPage.js').then((m) => m.GroupsPage));
const GroupEditorPage = lazyPage(() => import('../features/groups/GroupEditorPage.js').then((m) => m.GroupEditorPage));
const NewGroupPage = lazyPage(() => import('../features/groups/GroupEditorPage.js').then((m) => m.NewGroupPage));
const RightsPage = lazyPage(() => import('../features/rights/RightsPage.js').then((m) => m.RightsPage));
const MailboxesPage = lazyPage(() => import('../features/mailboxes/MailboxesPage.js').then((m) => m.MailboxesPage));

export interface AppRoute {
  /** Hash path pattern, `:name` for a parameter: `/users/:id`. More specific patterns first. */
  path: string;
  /** The window title while this page shows. */
  title: RouteName;
  render: (params: RouteParams) => ReactNode;
  /** Starts the page's first query before the page renders (see prefetchLanding); the page must ask the same. */
  prefetch?: (client: QueryClient, params: RouteParams) => void;
  /** Loads a lazy page's code (lazy-page.ts), so a page the app opens on does not wait for it (see preloadLanding). */
  code?: () => Promise<unknown>;
  /** Shown in the navbar when set; `order` places it (Users 10, Groups 20, Rights 30, Mailboxes 40, Log 50, Token server 60). */
  nav?: { label: RouteName; icon: ComponentType<{ size?: number; stroke?: number }>; order: number };
  /** Hides the navbar entry from people who lack it (the core enforces it regardless). */
  permission?: AppPermission;
}

/**
 * Every page of the app. Adding a page: one entry here (with `nav` to show it in the navbar); the
 * feature's own folder holds the page component and its queries.
 */
export const ROUTES: AppRoute[] = [
  { path: '/users/new-api', title: 'newApiUser', render: () => <CreateApiUserPage.Component />, code: CreateApiUserPage.preload, permission: 'users.manage' },
  { path: '/users/new-person', title: 'newPerson', render: () => <CreatePersonPage.Component />, code: CreatePersonPage.preload, permission: 'users.manage' },
  { path: '/users/activations', title: 'activations', render: () => <ActivationsPage.Component />, code: ActivationsPage.preload },
  { path: '/users/:id/:tab', title: 'user', render: (p) => <UserDetailPage.Component id={Number(p.id)} tab={p.tab} />, code: UserDetailPage.preload },
  { path: '/users/:id', title: 'user', render: (p) => <UserDetailPage.Component id={Number(p.id)} />, code: UserDetailPage.preload },
  { path: '/users', title: 'users', render: () => <UsersPage.Component />, code: UsersPage.preload, nav: { label: 'users', icon: IconUsers, order: 10 } },
  { path: '/groups/new', title: 'newGroup', render: () => <NewGroupPage.Component />, code: NewGroupPage.preload, permission: 'groups.manage' },
  { path: '/groups/:id', title: 'group', render: (p) => <GroupEditorPage.Component id={Number(p.id)} />, code: GroupEditorPage.preload },
  { path: '/groups', title: 'groups', render: () => <GroupsPage.Component />, code: GroupsPage.preload, nav: { label: 'groups', icon: IconUsersGroup, order: 20 } },
  { path: '/rights', title: 'rights', render: () => <RightsPage.Component />, code: RightsPage.preload, nav: { label: 'rights', icon: IconShieldCheck, order: 30 } },
  { path: '/mailboxes', title: 'mailboxes', render: () => <MailboxesPage.Component />, code: MailboxesPage.preload, nav: { label: 'mailboxes', icon: IconMail, order: 40 } },
  // Features with pages of their own list them in their folder's routes.tsx.
  ...logRoutes,
  ...overviewRoutes,
  ...serverRoutes,
];

/** Where `#/` and unknown paths go. */
export const HOME_PATH = '/overview';

export function matchRoute(path: string): { route: AppRoute; params: RouteParams } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/**
 * Starts loading the code of the page the app opens on, at once: it needs no session, so it downloads while
 * main answers whether there is one, instead of after the shell has drawn.
 */
export function preloadLanding(path: string): void {
  void (matchRoute(path) ?? matchRoute(HOME_PATH))?.route.code?.().catch(() => undefined); // a failure shows on the visit
}

/**
 * Starts the data of the page the app opens on, as soon as the session is known: the request then runs
 * while the shell and the page render, instead of after them. Only for a page the person may open (the
 * core would refuse the call anyway); `#/` and unknown paths land on the home page.
 */
export function prefetchLanding(client: QueryClient, path: string, permissions: readonly string[]): void {
  const match = matchRoute(path) ?? matchRoute(HOME_PATH);
  if (!match?.route.prefetch) return;
  if (match.route.permission && !permissions.includes(match.route.permission)) return;
  match.route.prefetch(client, match.params);
}
