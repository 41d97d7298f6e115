import { useMutation } from '@tanstack/react-query';
import type { InputOf } from '../../../shared/contract.js';
import { call } from '../../api/call.js';

/** Exports a credential file; main asks where to save it (the page never names a path). */
export const useExportCredentialFile = () =>
  useMutation({ mutationFn: (input: InputOf<'credentials.export'>) => call('credentials.export', input) });
