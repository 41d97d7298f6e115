import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

/** The store in use and the next start's choice; refreshed every 15 s for the nodes' "seen … ago". */
export const useStoreStatus = () =>
  useQuery({ queryKey: queryKeys.server.store, queryFn: () => call('store.status', {}), refetchInterval: 15_000 });

/** Checks the store by opening it, then writes store.json; the card shows the next start's choice after. */
export function useChooseStore() {
  const refresh = useRefreshAfter('server');
  return useMutation({ mutationFn: (input: InputOf<'store.choose'>) => call('store.choose', input), onSettled: refresh });
}
