import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { combineRights } from '../../../shared/rights.js';
import { call } from '../../api/call.js';
import { queryKeys, type UserOptionsScope } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';
import { groupQuery } from '../groups/groups.queries.js';

/** Office-wide rules (the allowlist requirement) that the create form and the Network tab mention. */
export function usePolicy() {
  return useQuery({ queryKey: queryKeys.policy.all, queryFn: () => call('policy.get', {}) });
}

export function useSetPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: InputOf<'policy.set'>) => call('policy.set', input),
    onSuccess: (policy) => client.setQueryData(queryKeys.policy.all, policy),
  });
}

export function useUsersList(query: InputOf<'users.list'>) {
  return useQuery({ queryKey: queryKeys.users.list(query), queryFn: () => call('users.list', query), placeholderData: keepPreviousData });
}

export function useUser(id: number, enabled = true) {
  return useQuery({ queryKey: queryKeys.users.detail(id), queryFn: () => call('users.show', { id }), enabled });
}

export function useEffectiveRights(id: number, enabled = true) {
  return useQuery({ queryKey: queryKeys.users.rights(id), queryFn: () => call('users.effectiveRights', { id }), enabled });
}

export function useSecrets(userId: number, enabled = true) {
  return useQuery({ queryKey: queryKeys.users.secrets(userId), queryFn: () => call('secrets.list', { userId }), enabled });
}

/** The API user's public keys (private_key_jwt), with their last use. */
export function useClientKeys(userId: number, enabled = true) {
  return useQuery({ queryKey: queryKeys.users.clientKeys(userId), queryFn: () => call('clientKeys.list', { userId }), enabled });
}

export function useUserActivity(userId: number, enabled = true) {
  return useQuery({
    queryKey: queryKeys.users.activity(userId),
    queryFn: () => call('log.search', { targetUserId: userId, limit: 100 }),
    enabled,
  });
}

/**
 * People and API users matching a search, for a picker that adds them to a list (searched and capped in
 * main): at most 50, as main sorts them.
 */
export function useUserOptions(scope: UserOptionsScope, search: string) {
  return useQuery({
    queryKey: queryKeys.users.options(scope, search),
    queryFn: () => call('users.list', { ...scope, search: search || undefined, pageSize: 50 }),
  });
}

/** A mutation on one user: refreshes the lists and that user's detail, rights and activity afterwards. */
function useUserMutation<I, O>(fn: (input: I) => Promise<O>) {
  const refresh = useRefreshAfter('user');
  return useMutation({ mutationFn: fn, onSuccess: refresh });
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
export const useAddClientKey = () => useUserMutation((input: InputOf<'clientKeys.add'>) => call('clientKeys.add', input));
export const useRevokeClientKey = () => useUserMutation((input: InputOf<'clientKeys.revoke'>) => call('clientKeys.revoke', input));

/**
 * What a token would carry for these groups: the union of their API rights as `resource:action` scopes
 * and their record filters, the same union main computes over a user's memberships (groups.repo
 * effectiveRightsOfUser). Read from each group's detail, so picking groups needs no extra channel.
 */
export function useScopesPreview(groupIds: number[]) {
  const details = useQueries({ queries: groupIds.map((id) => groupQuery(id)) });
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
