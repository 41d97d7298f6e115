import { keepPreviousData, useQuery, type QueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { DEFAULT_CHART_CONTROLS, overviewQueryInput } from './overview-model.js';

/** Refreshed every minute while it shows: it is the screen an admin leaves open. */
export const OVERVIEW_REFRESH_MS = 60_000;

const overviewQuery = (input: InputOf<'overview.get'>) => ({ queryKey: queryKeys.overview.get(input), queryFn: () => call('overview.get', input) });

/** The overview; the previous answer stays on screen while another range or user loads (no blank flash). */
export const useOverview = (input: InputOf<'overview.get'>) =>
  useQuery({ ...overviewQuery(input), placeholderData: keepPreviousData, refetchInterval: OVERVIEW_REFRESH_MS });

/**
 * Asks main for the first overview as soon as the session is known, while the shell and the page are still
 * rendering: the page's own query then finds it in flight instead of starting after the first render.
 */
export const prefetchOverview = (client: QueryClient): void =>
  void client.prefetchQuery(overviewQuery(overviewQueryInput(DEFAULT_CHART_CONTROLS)));

/** API users for the chart's user picker, searched in main (an office may have many). */
export const useApiUserOptions = (search: string) =>
  useQuery({
    queryKey: queryKeys.overview.apiUsers(search),
    queryFn: () => call('users.list', { kind: 'api', sort: 'name', order: 'asc', pageSize: 50, ...(search ? { search } : {}) }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
