import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys, type Change } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

/** The server's state; refreshed every few seconds so a start or stop elsewhere (the CLI) shows up. */
export const useServerStatus = () =>
  useQuery({ queryKey: queryKeys.server.status, queryFn: () => call('server.status', {}), refetchInterval: 5_000 });

/** The providers' range snapshots: the Token server page lists them, the allowlist editors note their dates. */
export const useRanges = () => useQuery({ queryKey: queryKeys.ranges.status, queryFn: () => call('ranges.status', {}) });

/** Polled while a download runs, for the per-provider progress. */
export const useRangesProgress = (running: boolean) =>
  useQuery({ queryKey: queryKeys.ranges.progress, queryFn: () => call('ranges.progress', {}), refetchInterval: running ? 500 : false, enabled: running });

/** A change on the Token server page; what it touches refreshes after a failure too, so the page shows the state main is in. */
function usePageMutation<I, O>(change: Change, fn: (input: I) => Promise<O>) {
  const refresh = useRefreshAfter(change);
  return useMutation({ mutationFn: fn, onSettled: refresh });
}

export const useStartServer = () => usePageMutation('server', () => call('server.start', {}));
export const useStopServer = () => usePageMutation('server', () => call('server.stop', {}));
export const useUpdateServerSettings = () =>
  usePageMutation('server', (input: InputOf<'server.updateSettings'>) => call('server.updateSettings', input));
export const useRotateKey = () => usePageMutation('server', () => call('server.rotateKey', {}));
export const useSaveCaCertificate = () => usePageMutation('server', () => call('server.saveCaCertificate', {}));

export const useUpdateRanges = () => usePageMutation('ranges', (input: InputOf<'ranges.update'>) => call('ranges.update', input));
export const useImportRanges = () => usePageMutation('ranges', (input: InputOf<'ranges.import'>) => call('ranges.import', input));
