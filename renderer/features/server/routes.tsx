import { IconServerBolt } from '@tabler/icons-react';
import { lazyPage } from '../../app/lazy-page.js';
import type { AppRoute } from '../../app/routes.js';

const ServerPage = lazyPage(() => import('./ServerPage.js').then((m) => m.ServerPage));

/** The token server's pages. */
export const serverRoutes: AppRoute[] = [
  { path: '/server', title: 'server', render: () => <ServerPage.Component />, code: ServerPage.preload, nav: { label: 'server', icon: IconServerBolt, order: 60 } },
];
