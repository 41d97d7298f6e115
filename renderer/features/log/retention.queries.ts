import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

/**
 * The period, where archives go, what a prune would remove now, and the last prune. Refreshed every
 * minute while shown: what is older than the period grows as time passes (two index lookups in main).
 */
export const useRetention = () => useQuery({ queryKey: queryKeys.log.retention, queryFn: () => call('log.retention', {}), refetchInterval: 60_000 });

/** Saving the period is itself a logged change: the panel takes the answer, the log's pages refresh. */
export const useSetRetention = () => {
  const client = useQueryClient();
  const refresh = useRefreshAfter('loggedAction');
  return useMutation({
    mutationFn: (input: InputOf<'log.setRetention'>) => call('log.setRetention', input),
    onSuccess: (settings) => client.setQueryData(queryKeys.log.retention, settings),
    onSettled: refresh,
  });
};

/** Archives, then removes, what is older than the period; everything under the log changes with it. */
export const usePruneLog = () => {
  const refresh = useRefreshAfter('prune');
  return useMutation({ mutationFn: () => call('log.prune', {}), onSettled: refresh });
};
