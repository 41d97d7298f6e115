import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';

/** Exports a credential file; main asks where to save it (the page never names a path). */
export const useExportCredentialFile = () =>
  useMutation({ mutationFn: (input: InputOf<'credentials.export'>) => call('credentials.export', input) });

/**
 * Where a file exported now would send integrators, read each time the dialog opens (staleTime 0): the
 * server may have started, stopped or been given an issuer since.
 */
export const useCredentialDestination = () =>
  useQuery({ queryKey: queryKeys.server.credentialDestination, queryFn: () => call('credentials.destination', {}), staleTime: 0 });
