import type { Channel, InputOf, OutputOf } from '../../shared/contract.js';
import type { ErrorBody, ErrorCode } from '../../shared/errors.js';
import { keyrackApi } from './client.js';

/** A failed call, thrown so TanStack Query sees it; keeps the core's code, message and per-field messages. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string>;
  readonly retryAt: number | null;

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.fields = body.fields ?? {};
    this.retryAt = body.retryAt ?? null;
  }
}

type Listener = (error: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();

/** The auth gate listens here, so an expired or ended session anywhere sends the person back to login. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => void unauthenticatedListeners.delete(listener);
}

/** Calls one channel and returns its value, or throws an ApiError. */
export async function call<C extends Channel>(channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const fn = keyrackApi()[channel] as (input: InputOf<C>) => Promise<{ ok: true; value: OutputOf<C> } | { ok: false; error: ErrorBody }>;
  const result = await fn(input);
  if (result.ok) return result.value;
  const error = new ApiError(result.error);
  if (error.code === 'unauthenticated' && !channel.startsWith('auth.')) {
    for (const listener of unauthenticatedListeners) listener(error);
  }
  throw error;
}
