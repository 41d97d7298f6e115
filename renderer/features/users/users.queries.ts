import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { combineRights } from '../../../shared/rights.js';
import { call } from '../../api/call.js';

/** Query keys of the users feature; every mutation below invalidates what it changes. */
export const usersKeys = {
  all: ['users'] as const,
  list: (query: InputOf<'users.list'>) => ['users', 'list', query] as const,
  detail: (id: number) => ['users', 'detail', id] as const,
  rights: (id: number) => ['users', 'rights', id] as const,
  secrets: (id: number) => ['users', 'secrets', id] as const,
  activity: (id: number) => ['users', 'activity', id] as const,
  policy: ['policy'] as const,
};

/** Office-wide rules (the allowlist requirement) that the create form and the Network tab mention. */
export function usePolicy() {
  return useQuery({ queryKey: usersKeys.policy, queryFn: () => call('policy.get', {}) });
}

export function useSetPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'policy.set'>) => call('policy.set', input),
    onSuccess: (policy) => client.setQueryData(usersKeys.policy, policy),
  });
}

export function useUsersList(query: InputOf<'users.list'>) {
  return useQuery({ queryKey: usersKeys.list(query), queryFn: () => call('users.list', query), placeholderData: keepPreviousData });
}

export function useUser(id: number, enabled = true) {
  return useQuery({ queryKey: usersKeys.detail(id), queryFn: () => call('users.show', { id }), enabled });
}

export function useEffectiveRights(id: number, enabled = true) {
  return useQuery({ queryKey: usersKeys.rights(id), queryFn: () => call('users.effectiveRights', { id }), enabled });
}

export function useSecrets(userId: number, enabled = true) {
  return useQuery({ queryKey: usersKeys.secrets(userId), queryFn: () => call('secrets.list', { userId }), enabled });
}

export function useUserActivity(userId: number, enabled = true) {
  return useQuery({
    queryKey: usersKeys.activity(userId),
    queryFn: () => call('log.search', { targetUserId: userId, limit: 100 }),
    enabled,
  });
}

export function useGroupOptions() {
  return useQuery({ queryKey: ['groups', 'list'], queryFn: () => call('groups.list', {}) });
}

export function useMailboxOptions() {
  return useQuery({ queryKey: ['mailboxes', 'list'], queryFn: () => call('mailboxes.list', {}) });
}

/** A mutation on one user: refreshes the lists and that user's detail, rights and activity afterwards. */
function useUserMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: usersKeys.all }),
  });
}

export const useCreateApiUser = () => useUserMutation((input: InputOf<'users.createApiUser'>) => call('users.createApiUser', input));
export const useCreatePerson = () => useUserMutation((input: InputOf<'users.createPerson'>) => call('users.createPerson', input));
export const useUpdateUser = () => useUserMutation((input: InputOf<'users.update'>) => call('users.update', input));
export const useSetGroups = () => useUserMutation((input: InputOf<'users.setGroups'>) => call('users.setGroups', input));
export const useSetMailboxes = () => useUserMutation((input: InputOf<'users.setMailboxes'>) => call('users.setMailboxes', input));
export const useSetAllowlist = () => useUserMutation((input: InputOf<'users.setAllowlist'>) => call('users.setAllowlist', input));
export const useDisableUser = () => useUserMutation((input: InputOf<'users.disable'>) => call('users.disable', input));
export const useEnableUser = () => useUserMutation((input: InputOf<'users.enable'>) => call('users.enable', input));
export const useDeleteUser = () => useUserMutation((input: InputOf<'users.delete'>) => call('users.delete', input));
export const useAddSecret = () => useUserMutation((input: InputOf<'secrets.add'>) => call('secrets.add', input));
export const useRotateSecret = () => useUserMutation((input: InputOf<'secrets.rotate'>) => call('secrets.rotate', input));
export const useRevokeSecret = () => useUserMutation((input: InputOf<'secrets.revoke'>) => call('secrets.revoke', input));

/**
 * What a token would carry for these groups: the union of their API rights as `resource:action` scopes
 * and their record filters, the same union main computes over a user's memberships (groups.repo
 * effectiveRightsOfUser). Read from each group's detail, so picking groups needs no extra channel.
 */
export function useScopesPreview(groupIds: number[]) {
  const details = useQueries({
    queries: groupIds.map((id) => ({ queryKey: ['groups', 'detail', id], queryFn: () => call('groups.show', { id }) })),
  });
  const { scopes, filters } = combineRights(
    details.flatMap((q) => q.data?.rights ?? []),
    details.flatMap((q) => q.data?.filters ?? []),
  );
  return {
    loading: details.some((q) => q.isPending),
    scopes,
    filters: Object.entries(filters).map(([resource, names]) => ({ resource, names })),
  };
}
export const useResetPassword = () => useUserMutation((input: InputOf<'users.resetPassword'>) => call('users.resetPassword', input));
