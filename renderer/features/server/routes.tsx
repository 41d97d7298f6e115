import type { AppRoute } from '../../app/routes.js';

/** The token server's pages. */
export const serverRoutes: AppRoute[] = [];
