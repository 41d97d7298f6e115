import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

/** The mail relay's admin channels (shared/contract-mail.ts) as TanStack Query hooks. */

/** A mailbox's upstream and e-mail settings (null: the default ones every mailbox falls back to). */
export const useMailSettings = (mailboxId: number | null) =>
  useQuery({ queryKey: queryKeys.mail.settings(mailboxId), queryFn: () => call('mail.settings', { mailboxId }) });

/** Queue, sent and failed counts per mailbox; polled, since the delivery worker changes them on its own. */
export const useMailStats = () => useQuery({ queryKey: queryKeys.mail.stats, queryFn: () => call('mail.stats', {}), refetchInterval: 5_000 });

export const useMailQueue = (query: InputOf<'mail.queue'>) =>
  useQuery({ queryKey: queryKeys.mail.queue(query), queryFn: () => call('mail.queue', query), refetchInterval: 5_000 });

export const useMailRelayStatus = () =>
  useQuery({ queryKey: queryKeys.mail.relay, queryFn: () => call('mail.relayStatus', {}), refetchInterval: 5_000 });

/** A change to mail; what it touches refreshes after a failure too, so the page shows the state main is in. */
function useMailMutation<I, O>(fn: (input: I) => Promise<O>) {
  const refresh = useRefreshAfter('mail');
  return useMutation({ mutationFn: fn, onSettled: refresh });
}

export const useSetUpstream = () => useMailMutation((input: InputOf<'mail.setUpstream'>) => call('mail.setUpstream', input));
export const useClearUpstream = () => useMailMutation((input: InputOf<'mail.clearUpstream'>) => call('mail.clearUpstream', input));
export const useSetMailSettings = () => useMailMutation((input: InputOf<'mail.setSettings'>) => call('mail.setSettings', input));
export const useRetryMail = () => useMailMutation((id: string) => call('mail.retry', { id }));
export const useDropMail = () => useMailMutation((id: string) => call('mail.drop', { id }));
export const useUpdateRelaySettings = () =>
  useMailMutation((input: InputOf<'mail.updateRelaySettings'>) => call('mail.updateRelaySettings', input));

/** A connection test changes nothing: no refresh. */
export const useTestUpstream = () => useMutation({ mutationFn: (mailboxId: number | null) => call('mail.testUpstream', { mailboxId }) });
