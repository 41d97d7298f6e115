import { useInfiniteQuery } from '@tanstack/react-query';
import type { LogPage } from '../../../shared/dto.js';
import { call } from '../../api/call.js';
import type { LogFilters } from './log-export.js';

export const LOG_PAGE_SIZE = 50;

export const logKeys = { all: ['log'] as const, search: (filters: LogFilters) => ['log', 'search', filters] as const };

/** The log, newest first, one keyset page at a time (the cursor is the last id of the previous page). */
export const useLogSearch = (filters: LogFilters) =>
  useInfiniteQuery({
    queryKey: logKeys.search(filters),
    queryFn: ({ pageParam }) =>
      call('log.search', { ...filters, limit: LOG_PAGE_SIZE, ...(pageParam === null ? {} : { before: pageParam }) }),
    initialPageParam: null as number | null,
    getNextPageParam: (last: LogPage) => last.nextCursor,
  });
