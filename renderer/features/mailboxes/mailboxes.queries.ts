import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

export const useMailboxes = () => useQuery({ queryKey: queryKeys.mailboxes.list(), queryFn: () => call('mailboxes.list', {}) });

export function useCreateMailbox() {
  const refresh = useRefreshAfter('mailbox');
  return useMutation({ mutationFn: (input: InputOf<'mailboxes.create'>) => call('mailboxes.create', input), onSuccess: refresh });
}

export function useUpdateMailbox() {
  const refresh = useRefreshAfter('mailbox');
  return useMutation({ mutationFn: (input: InputOf<'mailboxes.update'>) => call('mailboxes.update', input), onSuccess: refresh });
}

export function useDeleteMailbox() {
  const refresh = useRefreshAfter('mailbox');
  return useMutation({ mutationFn: (id: number) => call('mailboxes.delete', { id }), onSuccess: refresh });
}

export function useAssignMailbox() {
  const refresh = useRefreshAfter('mailbox');
  return useMutation({ mutationFn: (input: InputOf<'mailboxes.assign'>) => call('mailboxes.assign', input), onSuccess: refresh });
}

export function useUnassignMailbox() {
  const refresh = useRefreshAfter('mailbox');
  return useMutation({
    mutationFn: (input: InputOf<'mailboxes.unassign'>) => call('mailboxes.unassign', input),
    onSuccess: refresh,
  });
}
