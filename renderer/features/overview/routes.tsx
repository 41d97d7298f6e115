import { IconLayoutDashboard } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.js';
import { OverviewPage } from './OverviewPage.js';

/** The overview's pages (the app's home). It reads the log, so it needs the same permission. */
export const overviewRoutes: AppRoute[] = [
  { path: '/overview', title: 'Overview', render: () => <OverviewPage />, nav: { label: 'Overview', icon: IconLayoutDashboard, order: 5 }, permission: 'log.view' },
];
