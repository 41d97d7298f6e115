import type { AppRoute } from '../../app/routes.js';

/** The overview's pages (the app's home once it lands). */
export const overviewRoutes: AppRoute[] = [];
