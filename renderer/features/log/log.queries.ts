import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import type { LogOrder } from '../../../shared/domain.js';
import type { AuditEvent, LogPage } from '../../../shared/dto.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';
import { exportFinished } from './export-job.js';
import type { LogFilters } from './log-filters.js';

export const LOG_PAGE_SIZE = 50;

/**
 * The log, newest or oldest first, one keyset page at a time: the cursor is the last id of the previous
 * page, and the next page is what lies beyond it in that order (before it newest first, after it oldest first).
 */
export const useLogSearch = (filters: LogFilters, order: LogOrder, enabled = true) =>
  useInfiniteQuery({
    queryKey: queryKeys.log.search({ ...filters, order }),
    queryFn: ({ pageParam }) =>
      call('log.search', {
        ...filters,
        order,
        limit: LOG_PAGE_SIZE,
        ...(pageParam === null ? {} : order === 'oldest' ? { after: pageParam } : { before: pageParam }),
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (last: LogPage) => last.nextCursor,
    enabled,
  });

/**
 * One event by id, for a link to it (the verify result, a shared URL). The keyset cursor does it without
 * a channel of its own: the newest event before id + 1 is the event itself when it still exists, so null
 * means it was deleted or archived.
 */
export const useLogEvent = (id: number | null, enabled = true) =>
  useQuery({
    queryKey: queryKeys.log.event(id ?? 0),
    queryFn: async (): Promise<AuditEvent | null> => {
      const page = await call('log.search', { before: id! + 1, limit: 1 });
      return page.rows[0]?.id === id ? page.rows[0]! : null;
    },
    enabled: enabled && id !== null,
    staleTime: Infinity,
  });

/** Re-computes the whole hash chain in main. A mutation: it is an action the admin starts, and it is logged. */
export const useVerifyLog = () => {
  // The check itself is a new event at the top of the log.
  const refresh = useRefreshAfter('loggedAction');
  return useMutation({ mutationFn: () => call('log.verify', {}), onSettled: refresh });
};

/** Asks main for an export: main shows its save dialog, then streams in the background. */
export const useStartExport = () => useMutation({ mutationFn: (input: InputOf<'log.export'>) => call('log.export', input) });

export const useCancelExport = () => useMutation({ mutationFn: (jobId: string) => call('log.exportCancel', { jobId }) });

/** How far a running export is; polls twice a second until it is done, cancelled or failed. */
export const EXPORT_POLL_MS = 500;
export const useExportStatus = (jobId: string | null) =>
  useQuery({
    queryKey: queryKeys.log.exportJob(jobId ?? ''),
    queryFn: () => call('log.exportStatus', { jobId: jobId! }),
    enabled: jobId !== null,
    refetchInterval: (query) => (query.state.error || (query.state.data && exportFinished(query.state.data)) ? false : EXPORT_POLL_MS),
    staleTime: 0,
    gcTime: 0,
  });
