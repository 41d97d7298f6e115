import type { ErrorBody } from './errors.js';

/** What every bridged call returns: a value or a plain error body, never a thrown error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ErrorBody): Result<never> => ({ ok: false, error });
