import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';

export const rightsKeys = { all: ['rights'] as const };

/** The rights catalogue: resources with their actions and record filters. */
export const useRightsCatalogue = () => useQuery({ queryKey: rightsKeys.all, queryFn: () => call('rights.list', {}) });

/** A catalogue change can take rights away from groups (and so from users' tokens): refresh all three. */
function useInvalidateCatalogue() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: rightsKeys.all }),
      client.invalidateQueries({ queryKey: ['groups'] }),
      client.invalidateQueries({ queryKey: ['users'] }),
    ]);
}

export function useAddResource() {
  const invalidate = useInvalidateCatalogue();
  return useMutation({ mutationFn: (input: InputOf<'rights.addResource'>) => call('rights.addResource', input), onSuccess: invalidate });
}

export function useUpdateResource() {
  const invalidate = useInvalidateCatalogue();
  return useMutation({
    mutationFn: (input: InputOf<'rights.updateResource'>) => call('rights.updateResource', input),
    onSuccess: invalidate,
  });
}

export function useRemoveResource() {
  const invalidate = useInvalidateCatalogue();
  return useMutation({ mutationFn: (id: number) => call('rights.removeResource', { id }), onSuccess: invalidate });
}
