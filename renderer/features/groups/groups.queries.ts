import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';

/** Query keys of the groups feature. A change to a group can change users' rights too, so both are refreshed. */
export const groupKeys = {
  all: ['groups'] as const,
  list: () => ['groups', 'list'] as const,
  detail: (id: number) => ['groups', 'detail', id] as const,
};

export const useGroups = () => useQuery({ queryKey: groupKeys.list(), queryFn: () => call('groups.list', {}) });

export const useGroup = (id: number) =>
  useQuery({ queryKey: groupKeys.detail(id), queryFn: () => call('groups.show', { id }), enabled: Number.isInteger(id) && id > 0 });

/** Every group with its rights and filters: what the rights catalogue needs to say who loses what. */
export const useGroupDetails = (enabled: boolean) => {
  const groups = useGroups();
  return useQuery({
    queryKey: [...groupKeys.all, 'details', groups.data?.map((g) => g.id)] as const,
    queryFn: () => Promise.all((groups.data ?? []).map((g) => call('groups.show', { id: g.id }))),
    enabled: enabled && groups.isSuccess,
  });
};

function useInvalidateGroups() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: groupKeys.all }),
      client.invalidateQueries({ queryKey: ['users'] }),
    ]);
}

export function useCreateGroup() {
  const invalidate = useInvalidateGroups();
  return useMutation({ mutationFn: (input: InputOf<'groups.create'>) => call('groups.create', input), onSuccess: invalidate });
}

export function useUpdateGroup() {
  const invalidate = useInvalidateGroups();
  return useMutation({ mutationFn: (input: InputOf<'groups.update'>) => call('groups.update', input), onSuccess: invalidate });
}

export function useDeleteGroup() {
  const invalidate = useInvalidateGroups();
  return useMutation({ mutationFn: (id: number) => call('groups.delete', { id }), onSuccess: invalidate });
}

export function useAddMember() {
  const invalidate = useInvalidateGroups();
  return useMutation({ mutationFn: (input: InputOf<'groups.addMember'>) => call('groups.addMember', input), onSuccess: invalidate });
}

export function useRemoveMember() {
  const invalidate = useInvalidateGroups();
  return useMutation({
    mutationFn: (input: InputOf<'groups.removeMember'>) => call('groups.removeMember', input),
    onSuccess: invalidate,
  });
}
