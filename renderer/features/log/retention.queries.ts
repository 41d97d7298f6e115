import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';

/** Under the log's key: a prune changes the log, and the log's own refreshes then include the panel. */
export const retentionKey = ['log', 'retention'] as const;

/**
 * The period, where archives go, what a prune would remove now, and the last prune. Refreshed every
 * minute while shown: what is older than the period grows as time passes (two index lookups in main).
 */
export const useRetention = () => useQuery({ queryKey: retentionKey, queryFn: () => call('log.retention', {}), refetchInterval: 60_000 });

/** Saving the period is itself a logged change: the log and the panel both refresh. */
export const useSetRetention = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'log.setRetention'>) => call('log.setRetention', input),
    onSuccess: (settings) => client.setQueryData(retentionKey, settings),
    onSettled: () => client.invalidateQueries({ queryKey: ['log'] }),
  });
};

/** Archives, then removes, what is older than the period; everything under the log changes with it. */
export const usePruneLog = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call('log.prune', {}),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: ['log'] }), client.invalidateQueries({ queryKey: ['overview'] })]),
  });
};
