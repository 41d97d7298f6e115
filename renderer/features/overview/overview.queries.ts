import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';

export const overviewKeys = {
  all: ['overview'] as const,
  get: (input: InputOf<'overview.get'>) => ['overview', input] as const,
  apiUsers: (search: string) => ['overview', 'api-users', search] as const,
};

/** Refreshed every minute while it shows: it is the screen an admin leaves open. */
export const OVERVIEW_REFRESH_MS = 60_000;

/** The overview; the previous answer stays on screen while another range or user loads (no blank flash). */
export const useOverview = (input: InputOf<'overview.get'>) =>
  useQuery({
    queryKey: overviewKeys.get(input),
    queryFn: () => call('overview.get', input),
    placeholderData: keepPreviousData,
    refetchInterval: OVERVIEW_REFRESH_MS,
  });

/** API users for the chart's user picker, searched in main (an office may have many). */
export const useApiUserOptions = (search: string) =>
  useQuery({
    queryKey: overviewKeys.apiUsers(search),
    queryFn: () => call('users.list', { kind: 'api', sort: 'name', order: 'asc', pageSize: 50, ...(search ? { search } : {}) }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
