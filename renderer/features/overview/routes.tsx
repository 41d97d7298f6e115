import { IconLayoutDashboard } from '@tabler/icons-react';
import type { AppRoute } from '../../app/routes.js';
import { loadActivityBars } from './ActivityChart.js';
import { OverviewPage } from './OverviewPage.js';
import { prefetchOverview } from './overview.queries.js';

/**
 * The overview's pages (the app's home). It reads the log, so it needs the same permission. Its code is
 * in the first chunk (it is the first screen), and its data is asked for as soon as the session is known.
 */
export const overviewRoutes: AppRoute[] = [
  {
    path: '/overview',
    title: 'overview',
    render: () => <OverviewPage />,
    // The chart's code loads while main computes the overview: started later, its parse landed on the
    // moment the answer came and delayed drawing it.
    prefetch: (client) => {
      prefetchOverview(client);
      void loadActivityBars();
    },
    nav: { label: 'overview', icon: IconLayoutDashboard, order: 5 },
    permission: 'log.view',
  },
];
