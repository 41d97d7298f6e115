import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

export const useGroups = () => useQuery({ queryKey: queryKeys.groups.list(), queryFn: () => call('groups.list', {}) });

/** One group with its rights, filters and members: the editor reads it, and so does the API user form's scope preview. */
export const groupQuery = (id: number) => queryOptions({ queryKey: queryKeys.groups.detail(id), queryFn: () => call('groups.show', { id }) });

export const useGroup = (id: number) => useQuery({ ...groupQuery(id), enabled: Number.isInteger(id) && id > 0 });

/** Every group with its rights and filters: what the rights catalogue needs to say who loses what. */
export const useGroupDetails = (enabled: boolean) => {
  const groups = useGroups();
  return useQuery({
    queryKey: queryKeys.groups.details(groups.data?.map((g) => g.id)),
    queryFn: () => Promise.all((groups.data ?? []).map((g) => call('groups.show', { id: g.id }))),
    enabled: enabled && groups.isSuccess,
  });
};

export function useCreateGroup() {
  const refresh = useRefreshAfter('group');
  return useMutation({ mutationFn: (input: InputOf<'groups.create'>) => call('groups.create', input), onSuccess: refresh });
}

export function useUpdateGroup() {
  const refresh = useRefreshAfter('group');
  return useMutation({ mutationFn: (input: InputOf<'groups.update'>) => call('groups.update', input), onSuccess: refresh });
}

export function useDeleteGroup() {
  const refresh = useRefreshAfter('group');
  return useMutation({ mutationFn: (id: number) => call('groups.delete', { id }), onSuccess: refresh });
}

export function useAddMember() {
  const refresh = useRefreshAfter('group');
  return useMutation({ mutationFn: (input: InputOf<'groups.addMember'>) => call('groups.addMember', input), onSuccess: refresh });
}

export function useRemoveMember() {
  const refresh = useRefreshAfter('group');
  return useMutation({
    mutationFn: (input: InputOf<'groups.removeMember'>) => call('groups.removeMember', input),
    onSuccess: refresh,
  });
}
