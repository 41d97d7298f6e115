import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';

export const mailboxKeys = { all: ['mailboxes'] as const, list: () => ['mailboxes', 'list'] as const };

export const useMailboxes = () => useQuery({ queryKey: mailboxKeys.list(), queryFn: () => call('mailboxes.list', {}) });

/** API users matching a search, for the "who may send" picker (searched and capped in main). */
export const useApiUserOptions = (search: string) =>
  useQuery({
    queryKey: ['users', 'api-options', search] as const,
    queryFn: () => call('users.list', { kind: 'api', search: search || undefined, pageSize: 50, sort: 'name' }),
  });

/** Mailboxes travel in API users' tokens, so users' views are refreshed too. */
function useInvalidateMailboxes() {
  const client = useQueryClient();
  return () =>
    Promise.all([client.invalidateQueries({ queryKey: mailboxKeys.all }), client.invalidateQueries({ queryKey: ['users'] })]);
}

export function useCreateMailbox() {
  const invalidate = useInvalidateMailboxes();
  return useMutation({ mutationFn: (input: InputOf<'mailboxes.create'>) => call('mailboxes.create', input), onSuccess: invalidate });
}

export function useUpdateMailbox() {
  const invalidate = useInvalidateMailboxes();
  return useMutation({ mutationFn: (input: InputOf<'mailboxes.update'>) => call('mailboxes.update', input), onSuccess: invalidate });
}

export function useDeleteMailbox() {
  const invalidate = useInvalidateMailboxes();
  return useMutation({ mutationFn: (id: number) => call('mailboxes.delete', { id }), onSuccess: invalidate });
}

export function useAssignMailbox() {
  const invalidate = useInvalidateMailboxes();
  return useMutation({ mutationFn: (input: InputOf<'mailboxes.assign'>) => call('mailboxes.assign', input), onSuccess: invalidate });
}

export function useUnassignMailbox() {
  const invalidate = useInvalidateMailboxes();
  return useMutation({
    mutationFn: (input: InputOf<'mailboxes.unassign'>) => call('mailboxes.unassign', input),
    onSuccess: invalidate,
  });
}
