import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

/**
 * Registrations arrive from services at the token server, not from this window: the lists that show them
 * are read afresh each time they are shown (staleTime 0: the app's 5 s default hid a registration made
 * just before), and again every 15 s while they are on screen.
 */
export const REGISTRATIONS_REFRESH_MS = 15_000;

export const useActivations = () =>
  useQuery({ queryKey: queryKeys.activations.list(), queryFn: () => call('activations.list', {}), refetchInterval: REGISTRATIONS_REFRESH_MS, staleTime: 0 });

export const useRegistrations = (filter: InputOf<'registrations.list'> = {}) =>
  useQuery({
    queryKey: queryKeys.activations.registrations(filter),
    queryFn: () => call('registrations.list', filter),
    refetchInterval: REGISTRATIONS_REFRESH_MS,
    staleTime: 0,
  });

/** Registrations waiting for an administrator: the Overview's card. */
export const usePendingRegistrations = (enabled = true) =>
  useQuery({
    queryKey: queryKeys.activations.pending,
    queryFn: () => call('registrations.pending', {}),
    refetchInterval: REGISTRATIONS_REFRESH_MS,
    staleTime: 0,
    enabled,
  });

function useActivationMutation<I, O>(fn: (input: I) => Promise<O>) {
  const refresh = useRefreshAfter('activation');
  return useMutation({ mutationFn: fn, onSuccess: refresh });
}

export const useCreateActivation = () => useActivationMutation((input: InputOf<'activations.create'>) => call('activations.create', input));
export const useRevokeActivation = () => useActivationMutation((input: InputOf<'activations.revoke'>) => call('activations.revoke', input));
export const useApproveRegistration = () => useActivationMutation((input: InputOf<'registrations.approve'>) => call('registrations.approve', input));
export const useRefuseRegistration = () => useActivationMutation((input: InputOf<'registrations.refuse'>) => call('registrations.refuse', input));
