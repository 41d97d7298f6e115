import { IconFileText } from '@tabler/icons-react';
import { lazyPage } from '../../app/lazy-page.js';
import type { AppRoute } from '../../app/routes.js';

const LogPage = lazyPage(() => import('./LogPage.js').then((m) => m.LogPage));
const RetentionPage = lazyPage(() => import('./RetentionPage.js').then((m) => m.RetentionPage));

/** The log's pages. Reading the setting needs log.view like the log; changing it is checked in the page and in main. */
export const logRoutes: AppRoute[] = [
  { path: '/log/retention', title: 'logRetention', render: () => <RetentionPage.Component />, code: RetentionPage.preload, permission: 'log.view' },
  { path: '/log', title: 'log', render: () => <LogPage.Component />, code: LogPage.preload, nav: { label: 'log', icon: IconFileText, order: 50 }, permission: 'log.view' },
];
