import { IconServerBolt } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.js';
import { ServerPage } from './ServerPage.js';

/** The token server's pages. */
export const serverRoutes: AppRoute[] = [
  { path: '/server', title: 'Token server', render: () => <ServerPage />, nav: { label: 'Token server', icon: IconServerBolt, order: 60 } },
];
