import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

/** The rights catalogue: resources with their actions and record filters. */
export const useRightsCatalogue = () => useQuery({ queryKey: queryKeys.rights.catalogue, queryFn: () => call('rights.list', {}) });

export function useAddResource() {
  const refresh = useRefreshAfter('catalogue');
  return useMutation({ mutationFn: (input: InputOf<'rights.addResource'>) => call('rights.addResource', input), onSuccess: refresh });
}

export function useUpdateResource() {
  const refresh = useRefreshAfter('catalogue');
  return useMutation({
    mutationFn: (input: InputOf<'rights.updateResource'>) => call('rights.updateResource', input),
    onSuccess: refresh,
  });
}

export function useRemoveResource() {
  const refresh = useRefreshAfter('catalogue');
  return useMutation({ mutationFn: (id: number) => call('rights.removeResource', { id }), onSuccess: refresh });
}
