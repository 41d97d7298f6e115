import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';

export function useAuthStatus() {
  return useQuery({ queryKey: queryKeys.auth.status, queryFn: () => call('auth.status', {}), staleTime: Infinity, retry: 1 });
}

/** After any change of who is logged in, nothing cached for the previous person may show. */
function useSessionChange() {
  const client = useQueryClient();
  return async () => {
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.auth.all[0] });
    await client.invalidateQueries({ queryKey: queryKeys.auth.status });
  };
}

export function useSetup() {
  const changed = useSessionChange();
  return useMutation({ mutationFn: (input: InputOf<'auth.setup'>) => call('auth.setup', input), onSuccess: changed });
}

export function useLogin() {
  const changed = useSessionChange();
  return useMutation({ mutationFn: (input: InputOf<'auth.login'>) => call('auth.login', input), onSuccess: changed });
}

export function useLogout() {
  const changed = useSessionChange();
  return useMutation({ mutationFn: () => call('auth.logout', {}), onSettled: changed });
}

/** Your own password; the session goes on, so nothing cached needs to go. */
export function useChangePassword() {
  return useMutation({ mutationFn: (input: InputOf<'auth.changePassword'>) => call('auth.changePassword', input) });
}
