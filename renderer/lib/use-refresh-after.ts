import { useQueryClient } from '@tanstack/react-query';
import { refreshAfter, type Change } from './query-keys.js';

/** `refreshAfter` for a mutation's onSuccess or onSettled; the mutation waits until the refetches finish. */
export function useRefreshAfter(change: Change): () => Promise<unknown> {
  const client = useQueryClient();
  return () => refreshAfter(client, change);
}
