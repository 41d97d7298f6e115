import type { ComponentType, ReactNode } from 'react';
import { IconFileText, IconMail, IconShieldCheck, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import type { AppPermission } from '../../shared/domain.js';
import type { RouteParams } from './router.js';
import { UsersPage } from '../features/users/UsersPage.js';
import { CreateApiUserPage } from '../features/users/CreateApiUserPage.js';
import { CreatePersonPage } from '../features/users/CreatePersonPage.js';
import { UserDetailPage } from '../features/users/UserDetailPage.js';
import { GroupsPage } from '../features/groups/GroupsPage.js';
import { GroupEditorPage, NewGroupPage } from '../features/groups/GroupEditorPage.js';
import { RightsPage } from '../features/rights/RightsPage.js';
import { MailboxesPage } from '../features/mailboxes/MailboxesPage.js';
import { LogPage } from '../features/log/LogPage.js';
import { overviewRoutes } from '../features/overview/routes.js';
import { serverRoutes } from '../features/server/routes.js';

export interface AppRoute {
  /** Hash path pattern, `:name` for a parameter: `/users/:id`. More specific patterns first. */
  path: string;
  /** The window title while this page shows. */
  title: string;
  render: (params: RouteParams) => ReactNode;
  /** Shown in the navbar when set; `order` places it (Users 10, Groups 20, Rights 30, Mailboxes 40, Log 50, Token server 60). */
  nav?: { label: string; icon: ComponentType<{ size?: number; stroke?: number }>; order: number };
  /** Hides the navbar entry from people who lack it (the core enforces it regardless). */
  permission?: AppPermission;
}

/**
 * Every page of the app. Adding a page: one entry here (with `nav` to show it in the navbar); the
 * feature's own folder holds the page component and its queries.
 */
export const ROUTES: AppRoute[] = [
  { path: '/users/new-api', title: 'New API user', render: () => <CreateApiUserPage />, permission: 'users.manage' },
  { path: '/users/new-person', title: 'New person', render: () => <CreatePersonPage />, permission: 'users.manage' },
  { path: '/users/:id/:tab', title: 'User', render: (p) => <UserDetailPage id={Number(p.id)} tab={p.tab} /> },
  { path: '/users/:id', title: 'User', render: (p) => <UserDetailPage id={Number(p.id)} /> },
  { path: '/users', title: 'Users', render: () => <UsersPage />, nav: { label: 'Users', icon: IconUsers, order: 10 } },
  { path: '/groups/new', title: 'New group', render: () => <NewGroupPage />, permission: 'groups.manage' },
  { path: '/groups/:id', title: 'Group', render: (p) => <GroupEditorPage id={Number(p.id)} /> },
  { path: '/groups', title: 'Groups', render: () => <GroupsPage />, nav: { label: 'Groups', icon: IconUsersGroup, order: 20 } },
  { path: '/rights', title: 'Rights catalogue', render: () => <RightsPage />, nav: { label: 'Rights catalogue', icon: IconShieldCheck, order: 30 } },
  { path: '/mailboxes', title: 'Mailboxes', render: () => <MailboxesPage />, nav: { label: 'Mailboxes', icon: IconMail, order: 40 } },
  { path: '/log', title: 'Log', render: () => <LogPage />, nav: { label: 'Log', icon: IconFileText, order: 50 }, permission: 'log.view' },
  // Features with pages of their own list them in their folder's routes.tsx.
  ...overviewRoutes,
  ...serverRoutes,
];

/** Where `#/` and unknown paths go. */
export const HOME_PATH = '/overview';
