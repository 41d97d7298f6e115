import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';

/** Query keys of the Token server page; each mutation refreshes what it changes. */
export const serverKeys = {
  status: ['server', 'status'] as const,
  ranges: ['ranges', 'status'] as const,
  progress: ['ranges', 'progress'] as const,
};

/** The server's state; refreshed every few seconds so a start or stop elsewhere (the CLI) shows up. */
export const useServerStatus = () =>
  useQuery({ queryKey: serverKeys.status, queryFn: () => call('server.status', {}), refetchInterval: 5_000 });

export const useRanges = () => useQuery({ queryKey: serverKeys.ranges, queryFn: () => call('ranges.status', {}) });

/** Polled while a download runs, for the per-provider progress. */
export const useRangesProgress = (running: boolean) =>
  useQuery({ queryKey: serverKeys.progress, queryFn: () => call('ranges.progress', {}), refetchInterval: running ? 500 : false, enabled: running });

function useServerMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => client.invalidateQueries({ queryKey: ['server'] }),
  });
}

export const useStartServer = () => useServerMutation(() => call('server.start', {}));
export const useStopServer = () => useServerMutation(() => call('server.stop', {}));
export const useUpdateServerSettings = () =>
  useServerMutation((input: InputOf<'server.updateSettings'>) => call('server.updateSettings', input));
export const useRotateKey = () => useServerMutation(() => call('server.rotateKey', {}));
export const useSaveCaCertificate = () => useServerMutation(() => call('server.saveCaCertificate', {}));

function useRangesMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: ['ranges'] }), client.invalidateQueries({ queryKey: ['server'] })]),
  });
}

export const useUpdateRanges = () => useRangesMutation((input: InputOf<'ranges.update'>) => call('ranges.update', input));
export const useImportRanges = () => useRangesMutation((input: InputOf<'ranges.import'>) => call('ranges.import', input));
