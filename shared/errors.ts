/**
 * Errors that cross a boundary (IPC, HTTP bridge, CLI) as data. Thrown errors lose their class across
 * Electron's bridge, so handlers turn them into a `Result` (see result.ts) with one of these codes.
 */
export const ERROR_CODES = [
  'validation',
  'not_found',
  'conflict',
  'forbidden',
  'unauthenticated',
  'rate_limited',
  /** The store cannot be reached for now (a PostgreSQL server down or cut off); trying again later works. */
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Per-field messages, keyed by the input's field path (`allowlist.2`, `email`). */
  fields?: Record<string, string>;
  /** For rate_limited: when to try again (epoch ms). */
  retryAt?: number;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) };
  }
}

export class ValidationError extends AppError {
  constructor(fields: Record<string, string>) {
    const [first] = Object.entries(fields);
    super('validation', first ? `${first[0]}: ${first[1]}` : 'Invalid input', fields);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} was not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, fields?: Record<string, string>) {
    super('conflict', message, fields);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Log in first') {
    super('unauthenticated', message);
  }
}

export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAt: number,
  ) {
    super('rate_limited', message);
  }

  override toBody(): ErrorBody {
    return { ...super.toBody(), retryAt: this.retryAt };
  }
}

/** What goes across a boundary for any error: an AppError's own body, anything else hidden. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return error.toBody();
  return { code: 'internal', message: 'Something went wrong inside Keyrack; the details are in its log.' };
}
