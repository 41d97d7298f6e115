import { useMutation, useQuery } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';
import { queryKeys } from '../../lib/query-keys.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';

/** Exports a credential file; main asks where to save it (the page never names a path). */
export const useExportCredentialFile = () =>
  useMutation({ mutationFn: (input: InputOf<'credentials.export'>) => call('credentials.export', input) });

/**
 * Exports a key file (key mode): main makes a key pair once the save dialog has a place, registers the public
 * key and writes the private key only into the file; the user's public keys list is refreshed after.
 */
export const useExportKeyCredentialFile = () => {
  const refresh = useRefreshAfter('user');
  return useMutation({ mutationFn: (input: InputOf<'credentials.exportKey'>) => call('credentials.exportKey', input), onSuccess: refresh });
};

/**
 * Where a file exported now would send integrators, read each time the dialog opens (staleTime 0): the
 * server may have started, stopped or been given an issuer since.
 */
export const useCredentialDestination = () =>
  useQuery({ queryKey: queryKeys.server.credentialDestination, queryFn: () => call('credentials.destination', {}), staleTime: 0 });
