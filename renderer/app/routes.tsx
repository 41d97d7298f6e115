import type { ComponentType, ReactNode } from 'react';
import { IconUsers } from '@tabler/icons-react';
import type { AppPermission } from '../../shared/domain.js';
import type { RouteParams } from './router.js';
import { UsersPage } from '../features/users/UsersPage.js';

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
  { path: '/users', title: 'Users', render: () => <UsersPage />, nav: { label: 'Users', icon: IconUsers, order: 10 } },
];

/** Where `#/` and unknown paths go. */
export const HOME_PATH = '/users';
